import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RAW_EVENTS_PREFIX, RAW_EVENT_TABLES } from '../../shared/analytics/raw-event-schema.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

/**
 * The heavy analysis queries (GB/T 39047 6.2.6, 6.2.7), each the SQL file of the same name in
 * infra/athena/ (reviewable as SQL), saved as an Athena named query. `?` marks an execution parameter.
 */
export const ATHENA_NAMED_QUERIES = [
  { file: 'hot-spots-by-region-item.sql', description: 'Hot spots: submissions and views by region and item' },
  { file: 'monthly-seasonality.sql', description: 'Seasonality: submissions per item and month with share of year and seasonal index' },
  { file: 'bottleneck-waits-by-state.sql', description: 'Bottlenecks: hours cases stay in each state, by item and agency' },
  { file: 'anomaly-base-series.sql', description: 'Anomaly base series: daily submissions, requests and server errors with trailing 28-day mean, deviation and z-score' },
  { file: 'recommendation-follow-rate.sql', description: 'Follow rate of next-item recommendations per month and item, small cells suppressed' },
  { file: 'evaluation-indicators.sql', description: 'Evaluation indicators from raw events: decisions, approval rate, days to decision, API availability' },
] as const;

/** where Athena writes query results, inside the blob bucket and under its key */
export const ATHENA_RESULTS_PREFIX = 'athena-results';
/** no single query may scan more than this (a runaway query costs at most about 0.5 USD) */
const BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;
/** the first day a partition may exist; projection enumerates days from here to now */
const FIRST_PARTITION_DAY = '2024-01-01';

export interface AnalyticsLakeProps {
  readonly stage: string;
  /** the blob bucket: the raw events are under analytics/events/ */
  readonly bucket: Bucket;
  /** the key that encrypts the bucket, also used for the query results */
  readonly key: Key;
  readonly projectRoot: string;
}

/**
 * The big-data path of analytics in AWS: the raw events the consumers archive under
 * `analytics/events/<kind>/dt=YYYY-MM-DD/` become Athena tables, without a crawler.
 * 1. a Glue database, and one external JSON Lines table per kind of raw event, partitioned by
 *    `dt` with partition projection (type date), so every day is queryable as soon as its files land;
 * 2. an Athena workgroup that enforces its settings: results encrypted with the storage key under
 *    athena-results/ (expired after 30 days), a per-query scan limit, CloudWatch metrics;
 * 3. the named queries of infra/athena/*.sql in that workgroup and database;
 * 4. a managed policy an operator attaches to the analysts' role: query in the workgroup, read
 *    the tables and their files, nothing else of the bucket.
 */
export class AnalyticsLake extends Construct {
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly tableNames: readonly string[];
  readonly queryPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: AnalyticsLakeProps) {
    super(scope, id);
    const { bucket, key } = props;
    this.databaseName = `gov_${props.stage.replace(/-/g, '_')}_analytics`;
    this.workGroupName = `gov-${props.stage}-analytics`;
    const catalogId = Aws.ACCOUNT_ID;
    const rawEvents = (kind: string) => `s3://${bucket.bucketName}/${RAW_EVENTS_PREFIX}/${kind}/`;

    const database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: this.databaseName, description: 'raw analytics events of the government service platform (no personal data)' },
    });
    const tables = Object.entries(RAW_EVENT_TABLES).map(([kind, spec]) => {
      const table = new CfnTable(this, `${spec.table}Table`, {
        catalogId,
        databaseName: this.databaseName,
        tableInput: {
          name: spec.table,
          description: spec.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'json',
            'projection.enabled': 'true',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.dt.range': `${FIRST_PARTITION_DAY},NOW`,
            'projection.dt.interval': '1',
            'projection.dt.interval.unit': 'DAYS',
            'storage.location.template': `${rawEvents(kind)}dt=\${dt}/`,
          },
          partitionKeys: [{ name: 'dt', type: 'string', comment: 'China calendar day of the events (YYYY-MM-DD)' }],
          storageDescriptor: {
            location: rawEvents(kind),
            columns: Object.entries(spec.columns).map(([name, type]) => ({ name: name.toLowerCase(), type })),
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            // the files' keys are camelCase; Glue columns are lower case: the SerDe matches them ignoring case
            serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'FALSE' } },
          },
        },
      });
      table.addResourceDependency(database);
      return table;
    });
    this.tableNames = Object.values(RAW_EVENT_TABLES).map((spec) => spec.table);

    bucket.addLifecycleRule({ id: 'expire-athena-results', prefix: `${ATHENA_RESULTS_PREFIX}/`, expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) });
    const workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'analysis of the platform raw events; results encrypted in the blob bucket',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketName}/${ATHENA_RESULTS_PREFIX}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    for (const query of ATHENA_NAMED_QUERIES) {
      const named = new CfnNamedQuery(this, `${query.file.replace(/\.sql$/, '')}Query`, {
        name: query.file.replace(/\.sql$/, ''),
        description: query.description,
        database: this.databaseName,
        workGroup: this.workGroupName,
        queryString: readFileSync(join(props.projectRoot, 'infra', 'athena', query.file), 'utf8'),
      });
      named.addResourceDependency(workGroup);
      named.addResourceDependency(database);
      for (const table of tables) named.addResourceDependency(table);
    }

    this.queryPolicy = this.createQueryPolicy(props);
  }

  private createQueryPolicy({ bucket, key }: AnalyticsLakeProps): ManagedPolicy {
    const stack = Stack.of(this);
    const rawEventObjects = bucket.arnForObjects(`${RAW_EVENTS_PREFIX}/*`);
    const resultObjects = bucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}/*`);
    const policy = new ManagedPolicy(this, 'QueryPolicy', {
      description: 'query the platform raw events with Athena in the analytics workgroup (attach to analysts)',
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:GetWorkGroup', 'athena:ListNamedQueries', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery'],
          resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName })],
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
            ...this.tableNames.map((table) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${table}` })),
          ],
        }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${RAW_EVENTS_PREFIX}/*`, `${ATHENA_RESULTS_PREFIX}/*`] } },
        }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [rawEventObjects] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], resources: [resultObjects] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      ],
    });
    acknowledgeWildcardResource(policy, rawEventObjects, 'Analysts read every raw event file: the daily partitions are created continuously and hold no personal data.');
    acknowledgeWildcardResource(policy, resultObjects, 'Athena writes each query result under its own generated key below athena-results/.');
    return policy;
  }
}
