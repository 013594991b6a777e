import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { manifest as platformManifest, type FunctionSpec, type KeyName, type KeySpec as ManifestKeySpec, type Manifest } from '../manifest.js';
import { PRIMARY_KEY, indexKeys } from '../../shared/tables/key-schema.js';
import { UNCLAIMED_UPLOAD_TTL_SECONDS } from '../../shared/uploads/upload-policy.js';
import { uploadBlobKey } from '../../shared/uploads/upload-repository.js';
import { lambdaEntry } from '../lambda-bundling.js';
import { accessLogBucket } from './access-log-bucket.js';
import { ApiRoutes } from './api-routes.js';
import { AppFunction, type BindableTable } from './app-function.js';
import type { PlatformSettings } from './platform-settings.js';
import { Portal } from './portal.js';
import { AnalyticsLake } from './analytics-lake.js';
import { SearchDomain } from './search-domain.js';
import { TokenPublicKey } from './token-public-key.js';

export interface PlatformStackProps extends StackProps {
  readonly settings: PlatformSettings;
  /** folder holding package.json, package-lock.json and functions/ */
  readonly projectRoot: string;
  /** the platform manifest unless a test passes its own */
  readonly manifest?: Manifest;
  /** Lambda entry of a manifest function; functions/<name>/handler.ts unless a test says otherwise */
  readonly entryOf?: (functionName: string) => string;
}

export interface PlatformQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/** the function that answers unknown routes with the platform's JSON 404 */
const FALLBACK_FUNCTION = 'discovery';
/** the manifest key that signs access tokens; every function verifies tokens with its public key */
const TOKEN_SIGNING_KEY = 'tokenSigning' satisfies KeyName;
const ONE_DAY_SECONDS = 24 * 3600;

/**
 * Key spec per manifest key usage, and whether KMS rotates it. KMS rotates symmetric
 * encryption keys only: a token signing key is replaced by publishing a new one in the JWKS,
 * and a lookup-hash key must never change, or stored hashes would stop matching.
 */
const KEY_KINDS = {
  SIGN_VERIFY: { spec: 'ECC_NIST_P256', rotation: false },
  ENCRYPT_DECRYPT: { spec: 'SYMMETRIC_DEFAULT', rotation: true },
  GENERATE_VERIFY_MAC: { spec: 'HMAC_256', rotation: false },
} as const satisfies Record<ManifestKeySpec['usage'], { spec: ManifestKeySpec['spec']; rotation: boolean }>;

/**
 * The whole platform in one stack, read from infra/manifest.ts (the local runtime reads the
 * same manifest). Steps:
 * 1. one customer-managed key encrypts every table and the blob bucket at rest;
 * 2. a table per manifest table (pk/sk plus one GSI per index), a queue with a dead-letter
 *    queue per manifest queue, a KMS key per manifest key, the blob bucket, and over its raw
 *    analytics events the Glue tables, Athena workgroup and named queries (AnalyticsLake);
 * 3. the OpenSearch domain and its VPC, when some function searches;
 * 4. one HTTP API; its public URL (custom domain or execute-api endpoint) is the token issuer;
 * 5. the public key of the token signing key, read from KMS at deploy time;
 * 6. one AppFunction per manifest function, given the token public key, bound to exactly the
 *    resources its grants name, subscribed to its queues and scheduled at its rates; signing
 *    keys created at run time shared by key policy with the functions granted to sign with them;
 * 7. a route per manifest route, and `$default` to discovery so unknown paths get our JSON 404,
 *    in the nested stack ApiRoutes, so the parent stays well under CloudFormation's
 *    500-resource limit (test/infra/stack-size.test.ts holds each stack to a budget);
 * 8. alarms on dead letters, function errors and API 5xx; outputs for operators;
 * 9. the web portal: its build in a private bucket behind CloudFront, which also serves the
 *    API's paths, so portal and API share one origin.
 *
 * The API has no API Gateway authorizer on purpose: the function middleware verifies tokens
 * (aws-jwt-verify against our own JWKS) and decides per route from the manifest's auth
 * requirement, including what an authorizer cannot see (real-name level, staff agency, token
 * exchange), and the local gateway runs the very same code. An authorizer would be a second,
 * diverging place for the same decision.
 */
export class PlatformStack extends Stack {
  readonly api: HttpApi;
  /** the nested stack holding the API's routes, integrations and invoke permissions */
  readonly apiRoutes: ApiRoutes;
  /** the API's public base URL, also the issuer of access tokens */
  readonly apiUrl: string;
  readonly functions = new Map<string, AppFunction>();
  readonly tables = new Map<string, BindableTable>();
  readonly queues = new Map<string, PlatformQueue>();
  readonly keys = new Map<string, Key>();
  readonly storageKey: Key;
  readonly blobBucket: Bucket;
  readonly analyticsLake: AnalyticsLake;
  readonly search?: SearchDomain;
  readonly tokenPublicKey: TokenPublicKey;
  readonly portal: Portal;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const manifest: Manifest = props.manifest ?? platformManifest;
    const entryOf = props.entryOf ?? ((name: string) => join(props.projectRoot, lambdaEntry(name)));
    if (!manifest.functions.some((fn) => fn.name === FALLBACK_FUNCTION)) {
      throw new Error(`the manifest needs a ${FALLBACK_FUNCTION} function: it serves the $default route`);
    }

    this.storageKey = new Key(this, 'StorageKey', {
      description: 'encrypts the platform tables and blobs at rest',
      alias: `alias/gov-${settings.stage}/storage`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [name, spec] of Object.entries(manifest.tables)) {
      this.tables.set(name, this.createTable(name, spec.indexes, spec.ttlAttribute, settings.stage === 'prod'));
    }
    for (const [name, spec] of Object.entries(manifest.queues)) {
      const deadLetterQueue = new Queue(this, `${pascal(name)}DeadLetterQueue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // the longest SQS allows, so operators have time to inspect and redrive
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, `${pascal(name)}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      this.queues.set(name, { queue, deadLetterQueue });
    }
    for (const [name, spec] of Object.entries(manifest.keys)) {
      this.keys.set(name, this.createKey(name, spec, settings.stage));
    }
    this.blobBucket = this.createBlobBucket(settings.corsOrigins);
    this.analyticsLake = new AnalyticsLake(this, 'AnalyticsLake', { stage: settings.stage, bucket: this.blobBucket, key: this.storageKey, projectRoot: props.projectRoot });

    const searchClients = manifest.functions.filter((fn) => fn.grants.search);
    if (searchClients.length > 0) {
      this.search = new SearchDomain(this, 'Search', {
        stage: settings.stage,
        instanceType: settings.searchInstanceType,
        logRetention: settings.logRetention,
        clientGrants: searchClients.map((fn) => fn.grants),
      });
    }

    const { api, stage, apiUrl } = this.createApi(settings);
    this.api = api;
    this.apiUrl = apiUrl;

    const signingKey = need(this.keys, TOKEN_SIGNING_KEY, 'key: every function verifies access tokens with it');
    this.tokenPublicKey = new TokenPublicKey(this, 'TokenPublicKey', {
      key: signingKey,
      projectRoot: props.projectRoot,
      logRetention: settings.logRetention,
    });

    const environment = {
      ISSUER: apiUrl,
      TOKEN_AUDIENCE: settings.tokenAudience ?? apiUrl,
      ACCESS_TOKEN_TTL_SECONDS: String(settings.accessTokenTtlSeconds),
      CORS_ORIGINS: settings.corsOrigins.join(','),
      ...(settings.peerPlatforms.length > 0 ? { PEER_PLATFORMS: JSON.stringify(settings.peerPlatforms) } : {}),
    };
    for (const spec of manifest.functions) {
      const fn = new AppFunction(this, `${pascal(spec.name)}Function`, {
        spec,
        entry: entryOf(spec.name),
        projectRoot: props.projectRoot,
        environment,
        logRetention: settings.logRetention,
        logLevel: settings.logLevel,
        ...(spec.grants.search && this.search ? { network: this.search.network } : {}),
      });
      fn.bindTokenPublicKeys(TOKEN_SIGNING_KEY, signingKey.keyId, [this.tokenPublicKey.publicKey]);
      this.bindGrants(fn, spec, settings);
      for (const subscription of spec.subscriptions ?? []) {
        const queueSpec = need(manifest.queues, subscription.queue, `queue of ${spec.name}'s subscription`);
        fn.subscribe(need(this.queues, subscription.queue, 'queue').queue, subscription, Duration.seconds(queueSpec.visibilityTimeoutSeconds));
      }
      for (const schedule of spec.schedules ?? []) fn.scheduleEvery(schedule);
      this.functions.set(spec.name, fn);
    }
    this.shareRuntimeSigningKeys();

    this.apiRoutes = this.addRoutes(api, manifest);
    this.portal = new Portal(this, 'Portal', { api, manifest, projectRoot: props.projectRoot, stage: settings.stage, uploadBucket: this.blobBucket });
    this.addAlarms(settings.alarmEmail, stage);
    this.addOutputs();
  }

  private createTable(name: string, indexes: readonly string[], ttlAttribute: string, deletionProtection: boolean): BindableTable {
    const table = new Table(this, `${pascal(name)}Table`, {
      partitionKey: { name: PRIMARY_KEY.pk, type: AttributeType.STRING },
      sortKey: { name: PRIMARY_KEY.sk, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.storageKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttlAttribute,
      deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of indexes) {
      const keys = indexKeys(index);
      table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: keys.pk, type: AttributeType.STRING },
        sortKey: { name: keys.sk, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return { name, table, indexNames: indexes, encryptionKey: this.storageKey };
  }

  private createKey(name: string, spec: ManifestKeySpec, stage: string): Key {
    const kind = KEY_KINDS[spec.usage];
    if (kind.spec !== spec.spec) throw new Error(`key ${name}: ${spec.usage} keys are ${kind.spec}`);
    return new Key(this, `${pascal(name)}Key`, {
      description: spec.description,
      alias: `alias/gov-${stage}/${name}`,
      keySpec: KeySpec[kind.spec],
      keyUsage: KeyUsage[spec.usage],
      enableKeyRotation: kind.rotation,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Materials, certificate files and exchange files. Clients PUT straight to S3 through
   * presigned URLs under uploads/; an upload still there after its unclaimed TTL is deleted,
   * so claiming a blob must move it out of uploads/.
   */
  private createBlobBucket(corsOrigins: readonly string[]): Bucket {
    const accessLogs = accessLogBucket(this, 'BlobAccessLogs', { loggedResources: 'the blob bucket' });

    const unclaimedUploadDays = Math.ceil(UNCLAIMED_UPLOAD_TTL_SECONDS / ONE_DAY_SECONDS) + 1;
    return new Bucket(this, 'Blobs', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.storageKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'blobs/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'expire-unclaimed-uploads',
          prefix: uploadBlobKey(''),
          expiration: Duration.days(unclaimedUploadDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(90) },
      ],
      ...(corsOrigins.length > 0
        ? {
            cors: [
              {
                allowedOrigins: [...corsOrigins],
                allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag'],
                maxAge: 3600,
              },
            ],
          }
        : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createApi(settings: PlatformSettings): { api: HttpApi; stage: HttpStage; apiUrl: string } {
    const api = new HttpApi(this, 'Api', {
      apiName: `gov-platform-${settings.stage}`,
      description: 'Government service platform (GB/T 39047-2020) public API',
      createDefaultStage: false,
      ...(settings.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...settings.corsOrigins],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-token-delivery'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    const customDomain = settings.customDomain
      ? new DomainName(this, 'ApiDomain', {
          domainName: settings.customDomain.domainName,
          certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', settings.customDomain.certificateArn),
        })
      : undefined;
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: settings.logRetention });
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // no query strings and no bodies: they may carry personal data
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
      ...(customDomain ? { domainMapping: { domainName: customDomain } } : {}),
    });
    if (customDomain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: customDomain.regionalDomainName,
        description: `point ${settings.customDomain?.domainName} here (CNAME or alias record)`,
      });
    }
    const apiUrl = settings.customDomain ? `https://${settings.customDomain.domainName}` : api.apiEndpoint;
    return { api, stage, apiUrl };
  }

  private bindGrants(fn: AppFunction, spec: FunctionSpec, settings: PlatformSettings): void {
    const { grants } = spec;
    for (const [table, access] of Object.entries(grants.tables ?? {})) {
      if (access) fn.bindTable(need(this.tables, table, `table granted to ${spec.name}`), access);
    }
    for (const queue of grants.sendTo ?? []) fn.bindQueue(queue, need(this.queues, queue, `queue granted to ${spec.name}`).queue);
    for (const [key, uses] of Object.entries(grants.keys ?? {})) {
      if (uses) fn.bindKey(key, need(this.keys, key, `key granted to ${spec.name}`), uses);
    }
    if (grants.blobs) fn.bindBlobs(this.blobBucket, grants.blobs, this.storageKey);
    if (grants.messages) fn.bindMessages(settings.emailFrom);
    if (grants.search && this.search) {
      fn.bindSearch(this.search, grants.search);
      this.search.allow(fn.role, grants.search);
    }
  }

  /**
   * Signing keys created at run time (one per seal) are shared by key policy, not by IAM: the
   * function that manages them names the roles of the functions granted 'sign' in every key it
   * shares, so only those roles, and only for those keys, may sign.
   */
  private shareRuntimeSigningKeys(): void {
    const functions = [...this.functions.values()];
    const signers = functions.filter((fn) => fn.spec.grants.runtimeSigningKeys === 'sign').map((fn) => fn.role.roleArn);
    for (const fn of functions) {
      if (fn.spec.grants.runtimeSigningKeys === 'manage') fn.manageRuntimeSigningKeys(signers);
    }
  }

  private addRoutes(api: HttpApi, manifest: Manifest): ApiRoutes {
    const functions = new Map([...this.functions].map(([name, fn]) => [name, fn.fn]));
    return new ApiRoutes(this, 'ApiRoutes', { api, manifest, functions, fallbackFunction: FALLBACK_FUNCTION });
  }

  /** Alarms exist in every stage; they mail someone only when alarmEmail is set. */
  private addAlarms(alarmEmail: string | undefined, stage: HttpStage): void {
    const alarms: Alarm[] = [];
    for (const [name, { deadLetterQueue }] of this.queues) {
      alarms.push(
        new Alarm(this, `${pascal(name)}DeadLettersAlarm`, {
          alarmDescription: `messages of queue ${name} failed repeatedly and wait in its dead-letter queue`,
          metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const [name, fn] of this.functions) {
      alarms.push(
        new Alarm(this, `${pascal(name)}ErrorsAlarm`, {
          alarmDescription: `function ${name} failed invocations`,
          metric: fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    alarms.push(
      new Alarm(this, 'ApiServerErrorsAlarm', {
        alarmDescription: 'the API answered 5xx',
        metric: stage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 5,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    if (!alarmEmail) return;

    // CloudWatch can publish to an encrypted topic only with a customer-managed key it may use
    const alarmKey = new Key(this, 'AlarmTopicKey', { description: 'encrypts the alarm topic', enableKeyRotation: true });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });
    topic.addSubscription(new EmailSubscription(alarmEmail));
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(topic));
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', { value: this.apiUrl, description: 'public base URL of the API and issuer of its tokens' });
    for (const [name, { table }] of this.tables) new CfnOutput(this, `${pascal(name)}TableName`, { value: table.tableName });
    for (const [name, { queue, deadLetterQueue }] of this.queues) {
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
    new CfnOutput(this, 'BlobBucketName', { value: this.blobBucket.bucketName });
    new CfnOutput(this, 'AnalyticsWorkGroup', { value: this.analyticsLake.workGroupName, description: 'Athena workgroup of the raw analytics events' });
    new CfnOutput(this, 'AnalyticsQueryPolicyArn', { value: this.analyticsLake.queryPolicy.managedPolicyArn, description: 'attach to the role of analysts who query with Athena' });
    if (this.search) new CfnOutput(this, 'SearchEndpoint', { value: this.search.endpointUrl });
  }
}

function need<V>(from: ReadonlyMap<string, V> | Readonly<Record<string, V>>, name: string, what: string): V {
  const value = from instanceof Map ? from.get(name) : (from as Readonly<Record<string, V>>)[name];
  if (value === undefined) throw new Error(`unknown ${what}: ${name}`);
  return value;
}

/** notifications → Notifications, case-submission → CaseSubmission, tokenSigning → TokenSigning */
function pascal(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/^[a-z]/, (c) => c.toUpperCase());
}
