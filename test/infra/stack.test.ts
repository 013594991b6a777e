import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { allRoutes, manifest, routeKey, type FunctionSpec, type Manifest } from '../../infra/manifest.js';
import { LAMBDA_BUNDLING, LAMBDA_EXTERNAL_MODULES } from '../../infra/lambda-bundling.js';
import { FUNCTION_BUNDLING } from '../../infra/stacks/app-function.js';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';
import { PRIMARY_KEY, indexKeys } from '../../shared/tables/key-schema.js';

// The CDK's built-in CloudFormation validation of synthesized templates: slow, and not what these
// tests assert. cdk-nag runs below through its own validateScope.
process.env.CDK_VALIDATION = 'false';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureEntry = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
/** the platform manifest's functions, read through the general spec type */
const functionSpecs: readonly FunctionSpec[] = manifest.functions;
const cdkJsonContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/** a template resource; CloudFormation JSON is read as it comes */
interface CfnResource {
  readonly Type: string;
  readonly Properties: any;
  readonly DeletionPolicy?: string;
}
interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Synthesizes the platform stack the way `cdk synth` does, without bundling the functions. */
function synth(context: Record<string, unknown>, options: { manifest?: Manifest; entryOf?: (name: string) => string } = {}) {
  const app = new App({ context: { ...cdkJsonContext, ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new PlatformStack(app, 'GovPlatform-test', { settings: settingsFromContext(app.node), projectRoot, ...options });
  const template = Template.fromStack(stack);
  return { app, stack, template, resources: template.toJSON().Resources as Record<string, CfnResource> };
}

const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** every key use grants some KMS action (verify: only DescribeKey, for the health check) */
const kmsUsesOf = (uses: readonly string[] | undefined): string[] => [...(uses ?? [])];
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
/** logical ids a policy resource refers to (Ref / Fn::GetAtt, also inside Fn::Join) */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') return [node.Ref];
    if (Array.isArray(node['Fn::GetAtt'])) return [String(node['Fn::GetAtt'][0])];
    return Object.values(node).flatMap(referencedIds);
  }
  return [];
}

describe('platform stack synthesized from infra/manifest.ts', () => {
  let app: App;
  let stack: PlatformStack;
  let template: Template;
  let resources: Record<string, CfnResource>;
  let nag: PolicyValidationPluginReport;

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const functionId = (name: string): string => {
    const found = ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name);
    expect(found).toHaveLength(1);
    return found[0]![0];
  };
  /** every statement the function's role holds, inline or attached */
  const statementsOf = (name: string): Statement[] => statementsOfRole(resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0] as string);
  const statementsOfRole = (roleId: string): Statement[] => {
    const inline = (resources[roleId]!.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    const attached = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    return [...inline, ...attached];
  };

  beforeAll(() => {
    ({ app, stack, template, resources } = synth({}));
    nag = new AwsSolutionsChecks().validateScope(app);
  });

  it('has a Node.js 22 arm64 Lambda function for every manifest function, with the platform settings', () => {
    for (const fn of functionSpecs) {
      const props = resources[functionId(fn.name)]!.Properties;
      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.Environment.Variables.ISSUER).toEqual({ 'Fn::GetAtt': [logicalId(stack.api), 'ApiEndpoint'] });
      expect(props.Environment.Variables).toHaveProperty('ACCESS_TOKEN_TTL_SECONDS', '900');
    }
    // besides them only the two functions of the token public key custom resource and the portal's BucketDeployment handler
    const others = ofType('AWS::Lambda::Function').filter(([, r]) => !r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(others.map(([id]) => id.replace(/[0-9A-F]{8,}.*$/, '')).sort()).toEqual(['CustomCDKBucketDeployment', 'TokenPublicKeyHandler', 'TokenPublicKeyProviderframeworkonEvent']);
  });

  it('bundles every function as the benchmark measures: the SDK inside, only unreachable credential providers left out', () => {
    expect(FUNCTION_BUNDLING).toMatchObject({
      format: LAMBDA_BUNDLING.format,
      target: LAMBDA_BUNDLING.target,
      mainFields: LAMBDA_BUNDLING.mainFields,
      minify: LAMBDA_BUNDLING.minify,
      keepNames: LAMBDA_BUNDLING.keepNames,
      banner: LAMBDA_BUNDLING.banner,
      esbuildArgs: { '--tree-shaking': String(LAMBDA_BUNDLING.treeShaking) },
      sourceMap: false,
      // with bundleAwsSDK, externalModules is the whole list of externals: no @aws-sdk/* default
      bundleAwsSDK: true,
      externalModules: [...LAMBDA_EXTERNAL_MODULES],
    });
    expect(FUNCTION_BUNDLING.externalModules!.filter((m) => m.endsWith('*') || /^@aws-sdk\/client-/.test(m))).toEqual([]);
  });

  it('gives every function the token public key read from KMS at deploy time, and the signing key id', () => {
    const signingKey = logicalId(stack.keys.get('tokenSigning')!);
    const publicKeyResource = logicalId(stack.tokenPublicKey);
    expect(resources[publicKeyResource]).toMatchObject({ Type: 'Custom::TokenPublicKey', Properties: { KeyId: { Ref: signingKey } } });
    for (const fn of functionSpecs) {
      expect(resources[functionId(fn.name)]!.Properties.Environment.Variables).toMatchObject({
        TOKEN_PUBLIC_KEYS: { 'Fn::GetAtt': [publicKeyResource, 'PublicKey'] },
        KEY_ID_TOKEN_SIGNING: { Ref: signingKey },
      });
    }
    // the handler may read this key's public half and nothing else
    const handler = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('TokenPublicKeyHandler'))![1];
    const kmsStatements = statementsOfRole(handler.Properties.Role['Fn::GetAtt'][0]).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kmsStatements).toEqual([{ Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: { 'Fn::GetAtt': [signingKey, 'Arn'] } }]);
  });

  it('routes every manifest route key to its function through a payload v2 proxy integration, in the ApiRoutes nested stack', () => {
    expect(ofType('AWS::ApiGatewayV2::Route')).toEqual([]);
    const nested = Template.fromStack(stack.apiRoutes).toJSON() as { Resources: Record<string, CfnResource> };
    const nestedOfType = (type: string) => Object.values(nested.Resources).filter((r) => r.Type === type).map((r) => r.Properties);
    // the parent hands the nested stack its references as parameters
    const parameters = resources[stack.getLogicalId(stack.apiRoutes.nestedStackResource!)]!.Properties.Parameters as Record<string, unknown>;
    const parentId = (value: unknown) => referencedIds(parameters[referencedIds(value)[0]!])[0];
    const routes = nestedOfType('AWS::ApiGatewayV2::Route');
    const integrationTarget = (key: string) => {
      const route = routes.find((r) => r.RouteKey === key);
      expect(route).toBeDefined();
      expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(parentId(route.ApiId)).toBe(logicalId(stack.api));
      const integration = nested.Resources[referencedIds(route.Target)[0]!]!;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      return parentId(integration.Properties.IntegrationUri);
    };
    for (const { fn, route } of allRoutes()) expect(integrationTarget(routeKey(route))).toBe(functionId(fn.name));
    expect(integrationTarget('$default')).toBe(functionId('discovery'));
    expect(routes).toHaveLength(allRoutes().length + 1);

    // one integration and one API-wide invoke permission per routed function, not one per route
    const routed = new Set([...allRoutes().map(({ fn }) => functionId(fn.name)), functionId('discovery')]);
    expect(nestedOfType('AWS::ApiGatewayV2::Integration')).toHaveLength(routed.size);
    const permissions = nestedOfType('AWS::Lambda::Permission');
    expect(new Set(permissions.map((p) => parentId(p.FunctionName)))).toEqual(routed);
    expect(permissions).toHaveLength(routed.size);
    for (const permission of permissions) {
      expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      expect(JSON.stringify(permission.SourceArn)).toMatch(/\/\*\/\*\/\*"/);
    }
  });

  it('logs API access without query strings and throttles the stage', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
    expect(stage.Properties.AccessLogSettings.Format).toContain('$context.requestId');
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/querystring|\$context\.path/i);
    // no corsOrigins in cdk.json: no CORS headers at all
    expect(ofType('AWS::ApiGatewayV2::Api')[0]![1].Properties.CorsConfiguration).toBeUndefined();
  });

  it('gives every queue a dead-letter queue with the spec maxReceiveCount, visibility and retention', () => {
    for (const [name, spec] of Object.entries(manifest.queues)) {
      const { queue, deadLetterQueue } = stack.queues.get(name)!;
      const props = resources[logicalId(queue)]!.Properties;
      expect(props.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] }, maxReceiveCount: spec.maxReceiveCount });
      expect(props.VisibilityTimeout).toBe(spec.visibilityTimeoutSeconds);
      expect(props.MessageRetentionPeriod).toBe(spec.retentionDays * 24 * 3600);
      expect(props.SqsManagedSseEnabled).toBe(true);
      expect(resources[logicalId(deadLetterQueue)]!.Properties.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('consumes every subscription in batches that report item failures', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    const subscriptions = functionSpecs.flatMap((fn) => (fn.subscriptions ?? []).map((s) => ({ fn, s })));
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const { fn, s } of subscriptions) {
      const queueId = logicalId(stack.queues.get(s.queue)!.queue);
      const mapping = mappings.find((m) => m.FunctionName.Ref === functionId(fn.name) && referencedIds(m.EventSourceArn)[0] === queueId);
      expect(mapping).toMatchObject({
        BatchSize: s.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...(s.maxBatchingWindowSeconds !== undefined ? { MaximumBatchingWindowInSeconds: s.maxBatchingWindowSeconds } : {}),
      });
    }
    expect(mappings).toHaveLength(subscriptions.length);
  });

  it('creates every table with pk/sk, its GSIs, PITR, KMS encryption, TTL, on-demand billing, retained', () => {
    const keyId = logicalId(stack.storageKey);
    for (const [name, spec] of Object.entries(manifest.tables)) {
      const table = resources[logicalId(stack.tables.get(name)!.table)]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: PRIMARY_KEY.pk, KeyType: 'HASH' },
          { AttributeName: PRIMARY_KEY.sk, KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      });
      expect((table.Properties.GlobalSecondaryIndexes ?? []).map((g: any) => g.IndexName)).toEqual([...spec.indexes]);
      for (const index of spec.indexes) {
        const gsi = table.Properties.GlobalSecondaryIndexes.find((g: any) => g.IndexName === index);
        expect(gsi.KeySchema).toEqual([
          { AttributeName: indexKeys(index).pk, KeyType: 'HASH' },
          { AttributeName: indexKeys(index).sk, KeyType: 'RANGE' },
        ]);
      }
    }
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('creates the manifest keys: an ECC_NIST_P256 signing key, rotating symmetric keys, each with an alias', () => {
    for (const [name, spec] of Object.entries(manifest.keys)) {
      const id = logicalId(stack.keys.get(name)!);
      expect(resources[id]!.Properties).toMatchObject({ KeySpec: spec.spec, KeyUsage: spec.usage });
      if (spec.spec === 'SYMMETRIC_DEFAULT') expect(resources[id]!.Properties.EnableKeyRotation).toBe(true);
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/gov-dev/${name}`, TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] } });
    }
    expect(resources[logicalId(stack.keys.get('tokenSigning')!)]!.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  it('keeps blobs private, TLS-only, versioned, logged, and expires unclaimed uploads', () => {
    const bucketId = logicalId(stack.blobBucket);
    const bucket = resources[bucketId]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    const rules = bucket.LifecycleConfiguration.Rules;
    expect(rules.find((r: any) => r.AbortIncompleteMultipartUpload)).toBeDefined();
    expect(rules.find((r: any) => r.Prefix === 'uploads/' && r.ExpirationInDays > 0)).toBeDefined();
    // without corsOrigins in context, only the portal (CloudFront) may send uploads and fetch downloads
    expect(bucket.CorsConfiguration.CorsRules.map((rule: any) => rule.AllowedOrigins)).toEqual([['https://*.cloudfront.net']]);

    const [[, policy]] = ofType('AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === bucketId) as [[string, CfnResource]];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('grants each function exactly the tables of its manifest grants, and writes only where readwrite', () => {
    const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    for (const fn of functionSpecs) {
      const granted = (fn.grants.tables ?? {}) as Record<string, 'read' | 'readwrite'>;
      const reachable = new Map<string, Set<string>>();
      for (const s of statementsOf(fn.name).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))) {
        for (const id of referencedIds(s.Resource)) {
          const actions = reachable.get(id) ?? new Set<string>();
          actionsOf(s).forEach((a) => actions.add(a));
          reachable.set(id, actions);
        }
      }
      const expected = Object.keys(granted).map((t) => logicalId(stack.tables.get(t)!.table));
      expect([...reachable.keys()].sort()).toEqual(expected.sort());
      for (const [table, access] of Object.entries(granted)) {
        const actions = [...reachable.get(logicalId(stack.tables.get(table)!.table))!];
        if (access === 'read') expect(actions.filter((a) => writeActions.includes(a))).toEqual([]);
        else expect(actions).toEqual(expect.arrayContaining(writeActions));
      }
    }
    // the two cases named in the design: identity never touches the platform table, notifier never the identity table
    const platformTable = logicalId(stack.tables.get('platform')!.table);
    const identityTable = logicalId(stack.tables.get('identity')!.table);
    expect(statementsOf('identity').flatMap((s) => referencedIds(s.Resource))).not.toContain(platformTable);
    expect(statementsOf('notifier').flatMap((s) => referencedIds(s.Resource))).not.toContain(identityTable);
  });

  it('grants queue sends and key uses only as the manifest says', () => {
    for (const fn of functionSpecs) {
      const statements = statementsOf(fn.name);
      const sendsTo = statements.filter((s) => actionsOf(s).includes('sqs:SendMessage'));
      // a function that also consumes the queue it sends to has the event source's actions merged in
      const consumerActions = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
      const sendActions = sendsTo.map((s) => actionsOf(s).filter((action) => !(consumerActions.includes(action) && fn.subscriptions?.length)));
      expect({ fn: fn.name, actions: sendActions }).toEqual({ fn: fn.name, actions: sendsTo.map(() => ['sqs:SendMessage']) });
      expect(sendsTo.flatMap((s) => referencedIds(s.Resource)).sort()).toEqual(
        ((fn.grants.sendTo ?? []) as string[]).map((q) => logicalId(stack.queues.get(q)!.queue)).sort(),
      );
      const keyIdsTouched = new Set(
        statements
          .filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')) && !s.Condition?.StringEquals?.['kms:ViaService'])
          .flatMap((s) => referencedIds(s.Resource)),
      );
      const keysCallingKms = Object.entries((fn.grants.keys ?? {}) as Record<string, readonly string[]>)
        .filter(([, uses]) => kmsUsesOf(uses).length > 0)
        .map(([k]) => logicalId(stack.keys.get(k)!));
      expect([...keyIdsTouched].sort()).toEqual(keysCallingKms.sort());
    }
    const identity = statementsOf('identity');
    const signingKey = logicalId(stack.keys.get('tokenSigning')!);
    expect(identity.filter((s) => referencedIds(s.Resource).includes(signingKey)).flatMap(actionsOf).sort()).toEqual(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign']);
    // discovery only verifies tokens (from its environment): on the signing key it may only read the key's state
    const discovery = statementsOf('discovery');
    expect(discovery.filter((s) => referencedIds(s.Resource).includes(signingKey)).flatMap(actionsOf)).toEqual(['kms:DescribeKey']);
    expect(discovery.flatMap(actionsOf)).not.toContain('kms:Sign');
  });

  it('lets only functions with a messages grant send SMS and email, never to SNS topics', () => {
    const partitionArn = (rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...rest]] });
    const identities = partitionArn([':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':identity/*']);
    for (const fn of functionSpecs) {
      const statements = statementsOf(fn.name);
      const resourcesWith = (effect: Statement['Effect'], action: string) =>
        statements.filter((s) => s.Effect === effect && actionsOf(s).includes(action)).flatMap(resourcesOf);
      const messagingActions = [...new Set(statements.flatMap(actionsOf).filter((a) => /^(sns|ses):/.test(a)))].sort();
      if (!fn.grants.messages) {
        expect(messagingActions).toEqual([]);
        continue;
      }
      expect(messagingActions).toEqual(['ses:SendEmail', 'ses:SendRawEmail', 'sns:Publish']);
      expect(resourcesWith('Allow', 'sns:Publish')).toEqual(['*']);
      expect(resourcesWith('Deny', 'sns:Publish')).toEqual([partitionArn([':sns:*:*:*'])]);
      expect(resourcesWith('Allow', 'ses:SendEmail')).toEqual([identities]);
      expect(resourcesWith('Allow', 'ses:SendRawEmail')).toEqual([identities]);
      // cdk.json names no sender: no EMAIL_FROM, so the adapter refuses email instead of sending from a guess
      expect(resources[functionId(fn.name)]!.Properties.Environment.Variables.EMAIL_FROM).toBeUndefined();
    }
    expect(statementsOf('notifier').flatMap(actionsOf)).toContain('sns:Publish');
    expect(statementsOf('identity').flatMap(actionsOf)).not.toContain('sns:Publish');
  });

  it('uses Resource "*" only for actions that have no resource-level permissions', () => {
    // X-Ray trace upload and the ENI actions of VPC functions cannot be scoped by AWS design
    const unscopable = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
      // SMS to a phone number has no resource ARN
      'sns:Publish',
      // a key that does not exist yet has no ARN (held to signing key specs by conditions)
      'kms:CreateKey',
    ]);
    for (const fn of functionSpecs) {
      for (const s of statementsOf(fn.name).filter((s) => s.Effect === 'Allow' && resourcesOf(s).includes('*'))) {
        expect(actionsOf(s).filter((a) => !unscopable.has(a))).toEqual([]);
      }
    }
  });

  it('puts only functions with a search grant into the VPC, and has a search domain exactly when some function searches', () => {
    const searchers = functionSpecs.filter((fn) => fn.grants.search).map((fn) => fn.name);
    for (const fn of functionSpecs) {
      expect(Boolean(resources[functionId(fn.name)]!.Properties.VpcConfig)).toBe(searchers.includes(fn.name));
    }
    expect(ofType('AWS::OpenSearchService::Domain')).toHaveLength(searchers.length > 0 ? 1 : 0);
    expect(ofType('AWS::EC2::VPC')).toHaveLength(searchers.length > 0 ? 1 : 0);
  });

  it('passes cdk-nag AwsSolutions checks with no unacknowledged errors or warnings', () => {
    const findings = nag.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('gives every cdk-nag acknowledgement a written reason', () => {
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, unknown>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect({ id, reason: typeof reason === 'string' && reason.trim().length >= 40 ? 'written' : reason }).toEqual({ id, reason: 'written' });
    }
  });
});

describe('platform stack options', () => {
  const worker = {
    name: 'worker',
    description: 'test worker',
    subscriptions: [{ queue: 'notifications', batchSize: 5 }],
    schedules: [{ name: 'sweep', everyMinutes: 5 }],
    grants: { keys: { tokenSigning: ['manage'] }, search: 'readwrite', messages: true },
  } as const satisfies FunctionSpec;
  const testManifest: Manifest = {
    functions: [
      { name: 'discovery', description: 'test discovery', routes: [manifest.functions[0].routes[0]], grants: {} },
      worker,
    ],
    tables: {},
    queues: { notifications: { description: 'test queue', visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionDays: 1 } },
    keys: { tokenSigning: { description: 'test signing key', usage: 'SIGN_VERIFY', spec: 'ECC_NIST_P256' } },
  };
  let synthesized: ReturnType<typeof synth>;

  beforeAll(() => {
    synthesized = synth(
      {
        stage: 'prod',
        corsOrigins: 'https://portal.gov.example',
        domainName: 'api.gov.example',
        certificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/test',
        alarmEmail: 'ops@gov.example',
        emailFrom: 'Government Services <noreply@gov.example>',
      },
      { manifest: testManifest, entryOf: () => fixtureEntry },
    );
  });

  it('runs schedules at the manifest rate', () => {
    const workerFn = synthesized.stack.functions.get('worker')!;
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [synthesized.stack.getLogicalId(workerFn.fn.node.defaultChild as CfnElement), 'Arn'] } })],
    });
  });

  it('serves the API on the custom domain, which is also the token issuer, with CORS from context', () => {
    const { resources, template } = synthesized;
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.gov.example' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://portal.gov.example'] }) });
    for (const fn of synthesized.stack.functions.values()) {
      const props = resources[synthesized.stack.getLogicalId(fn.fn.node.defaultChild as CfnElement)]!.Properties;
      expect(props.Environment.Variables).toMatchObject({ ISSUER: 'https://api.gov.example', CORS_ORIGINS: 'https://portal.gov.example' });
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: Match.arrayWith([Match.objectLike({ AllowedOrigins: ['https://portal.gov.example'], AllowedMethods: Match.arrayWith(['PUT']) })]) },
    });
  });

  it('puts only functions with a search grant into the VPC, and names only their roles in the domain policy', () => {
    const { resources, stack } = synthesized;
    const functionProps = (name: string) => resources[stack.getLogicalId(stack.functions.get(name)!.fn.node.defaultChild as CfnElement)]!.Properties;
    expect(functionProps('worker').VpcConfig).toBeDefined();
    expect(functionProps('discovery').VpcConfig).toBeUndefined();
    const domains = Object.values(resources).filter((r) => r.Type === 'AWS::OpenSearchService::Domain');
    expect(domains).toHaveLength(1);
    const domain = domains[0];
    expect(domain!.Properties).toMatchObject({
      NodeToNodeEncryptionOptions: { Enabled: true },
      EncryptionAtRestOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: expect.stringMatching(/TLS-1-2/) },
      ClusterConfig: { ZoneAwarenessEnabled: true, ZoneAwarenessConfig: { AvailabilityZoneCount: 2 } },
      VPCOptions: { SubnetIds: expect.any(Array) },
    });
    expect(domain!.Properties.AdvancedSecurityOptions?.Enabled ?? false).toBe(false);
    expect(Object.keys(domain!.Properties.LogPublishingOptions)).toEqual(expect.arrayContaining(['SEARCH_SLOW_LOGS', 'INDEX_SLOW_LOGS']));
    const principals = domain!.Properties.AccessPolicies.Statement.flatMap((s: any) => referencedIds(s.Principal));
    expect(principals).toEqual([functionProps('worker').Role['Fn::GetAtt'][0]]);
    const types = Object.values(resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::EC2::NatGateway');
    expect(types).not.toContain('AWS::EC2::InternetGateway');
  });

  it('gives a messages grant the sender from context emailFrom', () => {
    const { resources, stack } = synthesized;
    const worker = resources[stack.getLogicalId(stack.functions.get('worker')!.fn.node.defaultChild as CfnElement)]!;
    expect(worker.Properties.Environment.Variables.EMAIL_FROM).toBe('Government Services <noreply@gov.example>');
  });

  it('lets a manage grant create signing keys only, without reaching existing keys', () => {
    const statements = Object.values(synthesized.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const createKey = statements.find((s) => actionsOf(s).includes('kms:CreateKey'))!;
    expect(actionsOf(createKey)).toEqual(['kms:CreateKey']);
    expect(createKey.Condition).toEqual({
      StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY', 'kms:KeySpec': ['ECC_NIST_P256', 'SM2'] },
      Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' },
    });
    expect(statements.filter((s) => actionsOf(s).some((a) => ['kms:TagResource', 'kms:Sign'].includes(a)))).toEqual([]);
  });

  it('mails alarms on dead letters to the alarm address through an encrypted topic', () => {
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@gov.example' });
    synthesized.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(new AwsSolutionsChecks().validateScope(synthesized.app).violations).toEqual([]);
  });

  it('refuses a consumer whose timeout outlasts the visibility timeout of its queue', () => {
    const slow: Manifest = { ...testManifest, functions: [testManifest.functions[0]!, { ...worker, timeoutSeconds: 60 }] };
    expect(() => synth({}, { manifest: slow, entryOf: () => fixtureEntry })).toThrow(/visibility timeout/);
  });
});
