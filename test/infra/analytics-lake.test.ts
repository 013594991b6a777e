import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RAW_EVENT_TABLES, RAW_EVENTS_PREFIX } from '../../shared/analytics/raw-event-schema.js';
import { ATHENA_NAMED_QUERIES } from '../../infra/stacks/analytics-lake.js';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';

process.env.CDK_VALIDATION = 'false';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

interface CfnResource {
  readonly Type: string;
  readonly Properties: any;
  readonly DependsOn?: string[];
}

describe('the analytics lake: raw events in S3 as Athena tables (GB/T 39047 6.2.7)', () => {
  let app: App;
  let stack: PlatformStack;
  let template: Template;
  let resources: Record<string, CfnResource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const bucketId = () => stack.getLogicalId(stack.blobBucket.node.defaultChild as never);
  const keyId = () => stack.getLogicalId(stack.storageKey.node.defaultChild as never);
  /** a location in the blob bucket as the template writes it: s3://<bucket>/<path> */
  const inBucket = (path: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: bucketId() }, path]] });

  beforeAll(() => {
    app = new App({ context: { ...cdkJsonContext, stage: 'test', 'aws:cdk:bundling-stacks': [] } });
    stack = new PlatformStack(app, 'GovPlatform-lake', { settings: settingsFromContext(app.node), projectRoot });
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
  });

  it('has a Glue database and one JSON table per kind of raw event over its S3 prefix', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'gov_test_analytics' } });
    const tables = ofType('AWS::Glue::Table').map(([, r]) => r.Properties);
    expect(tables.map((t) => t.TableInput.Name).sort()).toEqual(['access_events', 'case_events', 'certificate_events', 'recommendation_events']);
    for (const [kind, spec] of Object.entries(RAW_EVENT_TABLES)) {
      const table = tables.find((t) => t.TableInput.Name === spec.table)!;
      expect(table.DatabaseName).toBe('gov_test_analytics');
      expect(table.TableInput.TableType).toBe('EXTERNAL_TABLE');
      expect(table.TableInput.StorageDescriptor.Location).toEqual(inBucket(`/${RAW_EVENTS_PREFIX}/${kind}/`));
      expect(table.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
      expect(table.TableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(Object.keys(spec.columns).map((name) => name.toLowerCase()));
      expect(table.TableInput.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
    }
  });

  it('projects the dt partitions (daily, from 2024 to now), so no crawler is needed', () => {
    template.resourceCountIs('AWS::Glue::Crawler', 0);
    for (const [kind, spec] of Object.entries(RAW_EVENT_TABLES)) {
      const table = ofType('AWS::Glue::Table').find(([, r]) => r.Properties.TableInput.Name === spec.table)![1].Properties.TableInput;
      expect(table.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2024-01-01,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
      });
      expect(table.Parameters['storage.location.template']).toEqual(inBucket(`/${RAW_EVENTS_PREFIX}/${kind}/dt=\${dt}/`));
    }
  });

  it('has an Athena workgroup that enforces KMS-encrypted results in the blob bucket and a scan limit', () => {
    template.resourceCountIs('AWS::Athena::WorkGroup', 1);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'gov-test-analytics',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: Match.anyValue(),
        ResultConfiguration: {
          OutputLocation: inBucket('/athena-results/'),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
        },
      },
    });
    const bucket = resources[bucketId()]!.Properties;
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ Id: 'expire-athena-results', Prefix: 'athena-results/', ExpirationInDays: 30 }));
  });

  it('saves every heavy query as a named query whose SQL is the reviewed file', () => {
    const queries = ofType('AWS::Athena::NamedQuery');
    expect(queries.map(([, r]) => r.Properties.Name).sort()).toEqual(
      ['anomaly-base-series', 'bottleneck-waits-by-state', 'evaluation-indicators', 'hot-spots-by-region-item', 'monthly-seasonality', 'recommendation-follow-rate'],
    );
    const workGroupId = ofType('AWS::Athena::WorkGroup')[0]![0];
    for (const query of ATHENA_NAMED_QUERIES) {
      const [, resource] = queries.find(([, r]) => r.Properties.Name === query.file.replace(/\.sql$/, ''))!;
      expect(resource.Properties).toMatchObject({ Database: 'gov_test_analytics', WorkGroup: 'gov-test-analytics' });
      expect(resource.Properties.QueryString).toBe(readFileSync(join(projectRoot, 'infra', 'athena', query.file), 'utf8'));
      expect(resource.DependsOn).toContain(workGroupId);
      // every query reads only the lake's tables, and only days of the range it is given
      const tablesRead = [...resource.Properties.QueryString.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+_events)\b/g)].map((m: RegExpMatchArray) => m[1]);
      expect(tablesRead.length).toBeGreaterThan(0);
      for (const table of tablesRead) expect(Object.values(RAW_EVENT_TABLES).map((t) => t.table)).toContain(table);
      expect(resource.Properties.QueryString).toMatch(/dt (BETWEEN \? AND \?|>= \?)/);
    }
  });

  it('offers analysts a policy limited to the workgroup, the lake tables, the raw events and the results', () => {
    const policyId = stack.getLogicalId(stack.analyticsLake.queryPolicy.node.defaultChild as never);
    const statements = resources[policyId]!.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(expect.arrayContaining(['athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject', 'kms:Decrypt']));
    expect(actions.some((action) => action.endsWith(':*') || action === '*')).toBe(false);
    expect(JSON.stringify(statements)).not.toContain('"Resource":"*"');
  });

  it('passes cdk-nag AwsSolutions checks for the lake', () => {
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').includes('/AnalyticsLake/')).map((r) => `${v.ruleName}: ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
