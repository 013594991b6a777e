import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { IVpc, ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { FunctionSpec, Grants, KeyName, QueueSubscription, ScheduleSpec } from '../manifest.js';
import { envNames } from '../../shared/config.js';
import { LAMBDA_BUNDLING, LAMBDA_EXTERNAL_MODULES } from '../lambda-bundling.js';
import { acknowledge, acknowledgeWildcardResource } from './nag-acknowledgements.js';
import type { LogLevel } from './platform-settings.js';

export type DataAccess = 'read' | 'readwrite';
export type KeyUse = NonNullable<NonNullable<Grants['keys']>[KeyName]>[number];

/** A platform table as functions bind to it: its indexes are granted with it. */
export interface BindableTable {
  readonly name: string;
  readonly table: ITable;
  readonly indexNames: readonly string[];
  /** the customer-managed key the table is encrypted with */
  readonly encryptionKey: IKey;
}

/** The search domain as functions bind to it. */
export interface BindableSearch {
  readonly domainArn: string;
  /** https URL of the domain endpoint */
  readonly endpointUrl: string;
}

/** Where a function runs when it must reach resources inside the VPC (the search domain). */
export interface FunctionNetwork {
  readonly vpc: IVpc;
  readonly securityGroup: ISecurityGroup;
}

export interface AppFunctionProps {
  readonly spec: FunctionSpec;
  /** the Lambda entry, functions/<name>/handler.ts exporting `handler` */
  readonly entry: string;
  /** folder holding package-lock.json and tsconfig.json */
  readonly projectRoot: string;
  /** settings every function reads (ISSUER, TOKEN_AUDIENCE, ...) */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  readonly network?: FunctionNetwork;
}

const DEFAULT_MEMORY_MB = 512;
const DEFAULT_TIMEOUT_SECONDS = 10;
/** what shared/auth/token-keys.ts reads: base64 DER SubjectPublicKeyInfo, signing key first */
const TOKEN_PUBLIC_KEYS = 'TOKEN_PUBLIC_KEYS';

/**
 * NodejsFunction bundling of every Lambda the stack defines, from LAMBDA_BUNDLING (the settings
 * the bundle benchmark measures). `externalModules` replaces NodejsFunction's default externals
 * rather than adding to them, and with `bundleAwsSDK` that default is empty: so the SDK clients
 * stay in the bundle and only LAMBDA_EXTERNAL_MODULES, the credential providers Lambda never
 * reaches, are left out, exactly as the benchmark builds them.
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: LAMBDA_BUNDLING.target,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  minify: LAMBDA_BUNDLING.minify,
  keepNames: LAMBDA_BUNDLING.keepNames,
  sourceMap: false,
  bundleAwsSDK: true,
  externalModules: [...LAMBDA_EXTERNAL_MODULES],
  esbuildArgs: { '--tree-shaking': String(LAMBDA_BUNDLING.treeShaking) },
  banner: LAMBDA_BUNDLING.banner,
};

/**
 * Bundling that also copies a function's data files (manifest `files`) beside its bundle, where
 * `new URL('./<file name>', import.meta.url)` finds them as it finds them beside the source.
 */
export function withDataFiles(bundling: BundlingOptions, files: readonly string[]): BundlingOptions {
  if (files.length === 0) return bundling;
  return {
    ...bundling,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => files.map((file) => `cp "${inputDir}/${file}" "${outputDir}/"`),
    },
  };
}

/**
 * The ONE way to define a platform Lambda function. Defaults are set here once: Node.js 22 on
 * arm64, an ESM bundle built with FUNCTION_BUNDLING (the settings the bundle benchmark measures)
 * with the AWS SDK v3 inside and no source maps, its own log group with retention, X-Ray
 * tracing and Powertools settings. The role starts empty; each `bind*` method
 * sets the environment variable a function reads and the IAM grant it needs together, so a
 * function holds exactly the access its manifest grants say.
 *
 * The AWS SDK is bundled rather than taken from the runtime: the runtime's copy changes under
 * us without notice, while the bundled one is the version the tests ran against, and
 * tree-shaking keeps only the clients a function imports.
 */
export class AppFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    this.timeout = Duration.seconds(spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.name}: only what infra/manifest.ts grants it`,
      ...(props.network ? { inlinePolicies: { VpcNetworkInterfaces: vpcNetworkInterfacePolicy() } } : {}),
    });
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: spec.description.slice(0, 256),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: this.timeout,
      role: this.role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: spec.name,
        LOG_LEVEL: props.logLevel,
      },
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
            securityGroups: [props.network.securityGroup],
          }
        : {}),
      bundling: withDataFiles(FUNCTION_BUNDLING, spec.files ?? []),
    });

    acknowledge(
      this,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the whole project is built and tested on (node@22 in package.json); the Lambda runtime moves with it, not ahead of it.',
    );
    acknowledgeWildcardResource(
      this,
      '*',
      'Resource "*" is used only for actions without resource-level permissions: X-Ray PutTraceSegments/PutTelemetryRecords, the EC2 network-interface actions of functions in the VPC, kms:CreateKey under a manage grant (held to signing key specs by conditions), and sns:Publish under a messages grant (SMS to a phone number has no resource ARN; publishing to topics is denied explicitly).',
    );
  }

  /** Table env var and data-plane access to the table and its indexes; writes only with readwrite. */
  bindTable(target: BindableTable, access: DataAccess): void {
    this.fn.addEnvironment(envNames.table(target.name), target.table.tableName);
    const tableArn = target.table.tableArn;
    const actions = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DescribeTable',
    ];
    if (access === 'readwrite') actions.push('dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem');
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [tableArn, ...target.indexNames.map((index) => `${tableArn}/index/${index}`)],
      }),
    );
    this.allowKeyViaService(target.encryptionKey, 'dynamodb', access);
  }

  /** Queue URL env var and sqs:SendMessage (which also covers SendMessageBatch), nothing else. */
  bindQueue(name: string, queue: IQueue): void {
    this.fn.addEnvironment(envNames.queueUrl(name), queue.queueUrl);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  }

  /**
   * Key id env var and the KMS actions of each use: sign → Sign, DescribeKey (the vault reads
   * the key spec to pick the algorithm) and GetPublicKey; verify → DescribeKey only (the health
   * check reads the key's state; tokens are verified from the public keys in the environment,
   * bindTokenPublicKeys); encrypt → GenerateDataKey;
   * decrypt → Decrypt; mac → GenerateMac; manage → create signing keys at run time that only
   * this function may use.
   */
  bindKey(name: string, key: IKey, uses: readonly KeyUse[]): void {
    this.fn.addEnvironment(envNames.keyId(name), key.keyId);
    const actionsByUse: Record<Exclude<KeyUse, 'manage'>, string[]> = {
      sign: ['kms:Sign', 'kms:DescribeKey', 'kms:GetPublicKey'],
      verify: ['kms:DescribeKey'],
      encrypt: ['kms:GenerateDataKey'],
      decrypt: ['kms:Decrypt'],
      mac: ['kms:GenerateMac'],
    };
    const actions = [...new Set(uses.flatMap((use) => (use === 'manage' ? [] : actionsByUse[use])))];
    if (actions.length > 0) this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [key.keyArn] }));
    if (uses.includes('manage')) this.allowCreatingSigningKeys();
  }

  /**
   * The token signing key's id and the public keys that verify access tokens (base64 DER
   * SubjectPublicKeyInfo, signing key first), read at deploy time: every function verifies
   * tokens without calling KMS, so no IAM grant goes with them.
   */
  bindTokenPublicKeys(signingKeyName: KeyName, signingKeyId: string, publicKeys: readonly string[]): void {
    this.fn.addEnvironment(envNames.keyId(signingKeyName), signingKeyId);
    this.fn.addEnvironment(TOKEN_PUBLIC_KEYS, publicKeys.join(','));
  }

  /**
   * Messages to people: SMS through SNS and email through SES. SMS to a phone number has no
   * resource ARN, so sns:Publish needs Resource "*"; an explicit Deny on every topic ARN keeps
   * that from reaching any SNS topic. Email may be sent from the account's verified identities
   * in this region; EMAIL_FROM is set when the deployment names a sender.
   */
  bindMessages(emailFrom: string | undefined): void {
    const stack = Stack.of(this);
    if (emailFrom) this.fn.addEnvironment('EMAIL_FROM', emailFrom);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${stack.partition}:sns:*:*:*`] }),
    );
    const identities = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identities] }));
    acknowledgeWildcardResource(
      this,
      identities,
      'SES authorizes sending against the identity of the sender address, which the deployment chooses (context emailFrom); the grant is limited to send actions on identities of this account and region.',
    );
  }

  /** Bucket env var; objects read (and written with readwrite) through S3 only, with the bucket key. */
  bindBlobs(bucket: IBucket, access: DataAccess, encryptionKey: IKey): void {
    this.fn.addEnvironment(envNames.blobBucket, bucket.bucketName);
    const objectActions = access === 'readwrite' ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'];
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
    // without ListBucket a missing object answers 403 instead of 404
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.allowKeyViaService(encryptionKey, 's3', access);
    acknowledgeWildcardResource(
      this,
      bucket.arnForObjects('*'),
      'Blob keys are chosen at run time (uploads/<id>, materials, certificate files); access is limited to this one bucket and to the object actions of the manifest grant.',
    );
  }

  /** Search endpoint env var and the HTTP verbs of the access mode on the domain's paths. */
  bindSearch(search: BindableSearch, access: DataAccess): void {
    this.fn.addEnvironment(envNames.searchEndpoint, search.endpointUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: searchActions(access), resources: [search.domainArn, `${search.domainArn}/*`] }),
    );
    acknowledgeWildcardResource(
      this,
      `${search.domainArn}/*`,
      'OpenSearch authorizes by request path (index names, _search, _bulk); the grant is limited to this one domain and to the HTTP verbs of the manifest grant.',
    );
  }

  /** Consumes a queue in batches; failed records are reported one by one and retried alone. */
  subscribe(queue: IQueue, subscription: QueueSubscription, visibilityTimeout: Duration): void {
    if (this.timeout.toSeconds() > visibilityTimeout.toSeconds()) {
      throw new Error(`${this.spec.name}: timeout ${this.timeout.toSeconds()}s exceeds the visibility timeout of queue ${subscription.queue}`);
    }
    this.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: subscription.batchSize,
        ...(subscription.maxBatchingWindowSeconds !== undefined
          ? { maxBatchingWindow: Duration.seconds(subscription.maxBatchingWindowSeconds) }
          : {}),
        reportBatchItemFailures: true,
      }),
    );
  }

  /** Invokes the function at a fixed rate, as the local scheduler does. */
  scheduleEvery(schedule: ScheduleSpec): Rule {
    return new Rule(this, `Schedule-${schedule.name}`, {
      description: `${this.spec.name}: ${schedule.name} every ${schedule.everyMinutes} min`,
      schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
      targets: [new LambdaFunction(this.fn, { retryAttempts: 2 })],
    });
  }

  /** KMS use of a store's key only when the call comes through that store (kms:ViaService). */
  private allowKeyViaService(key: IKey, service: 'dynamodb' | 's3', access: DataAccess): void {
    const actions = access === 'readwrite' ? ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'] : ['kms:Decrypt'];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions, 'kms:DescribeKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Creates signing keys at run time (the `runtimeSigningKeys: 'manage'` grant) and shares those
   * it creates for signing with the given roles: KEY_USER_ROLE_ARNS, which the key vault names in
   * the policy of each shared key (Sign, GetPublicKey, DescribeKey).
   */
  manageRuntimeSigningKeys(keyUserRoleArns: readonly string[]): void {
    this.allowCreatingSigningKeys();
    if (keyUserRoleArns.length > 0) this.fn.addEnvironment('KEY_USER_ROLE_ARNS', keyUserRoleArns.join(','));
  }

  /**
   * Signing keys created at run time (e.g. one per electronic seal) cannot be named in advance,
   * and tag-based IAM would let the function tag, and so take over, any key of the account.
   * So IAM allows only CreateKey, for signing key specs and without bypassing the policy lockout
   * check; the key vault gives each new key a key policy that keeps the account root as
   * administrator and names the role published as KEY_OWNER_ROLE_ARN for Sign, GetPublicKey,
   * DescribeKey, DisableKey, ScheduleKeyDeletion and (for that lockout check) PutKeyPolicy.
   * No existing key becomes reachable.
   */
  private allowCreatingSigningKeys(): void {
    this.fn.addEnvironment('KEY_OWNER_ROLE_ARN', this.role.roleArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY', 'kms:KeySpec': ['ECC_NIST_P256', 'SM2'] },
          Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' },
        },
      }),
    );
  }
}

/** OpenSearch HTTP verbs of an access mode; the role policy and the domain policy both use them */
export function searchActions(access: DataAccess): string[] {
  const read = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'];
  return access === 'readwrite' ? [...read, 'es:ESHttpPut', 'es:ESHttpDelete', 'es:ESHttpPatch'] : read;
}

/** what the managed AWSLambdaVPCAccessExecutionRole would grant, without a managed policy */
function vpcNetworkInterfacePolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    ],
  });
}
