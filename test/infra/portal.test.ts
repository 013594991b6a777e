import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { manifest } from '../../infra/manifest.js';
import { PORTAL_ASSET_CACHE_CONTROL, PORTAL_INDEX_CACHE_CONTROL, PORTAL_SECURITY_HEADERS, portalContentSecurityPolicy } from '../../infra/portal-policy.js';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';

process.env.CDK_VALIDATION = 'false';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

interface CfnResource {
  readonly Type: string;
  readonly Properties: any;
}

describe('the web portal in the platform stack', () => {
  let stack: PlatformStack;
  let resources: Record<string, CfnResource>;
  let nagFindings: string[];
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const distribution = () => resources[logicalId(stack.portal.distribution)]!.Properties.DistributionConfig;
  /** a CloudFormation value with its references and pseudo parameters written as ${name} */
  const rendered = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const node = value as Record<string, any>;
    if ('Ref' in node) return `\${${node.Ref}}`;
    if ('Fn::GetAtt' in node) return `\${${node['Fn::GetAtt'].join('.')}}`;
    if ('Fn::Join' in node) return node['Fn::Join'][1].map(rendered).join(node['Fn::Join'][0]);
    throw new Error(`unexpected value ${JSON.stringify(value)}`);
  };

  beforeAll(() => {
    // bundling skipped as in every infra test: the build itself is web/build.ts's, tested by the e2e and browser tests
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    stack = new PlatformStack(app, 'GovPlatform-portal-test', { settings: settingsFromContext(app.node), projectRoot });
    resources = Template.fromStack(stack).toJSON().Resources;
    nagFindings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((v) => v.violatingResources.some((r) => r.constructPath?.includes('/Portal/') || r.constructPath?.includes('CDKBucketDeployment')))
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  });

  it('keeps the files in a private, encrypted, TLS-only bucket', () => {
    const bucket = resources[logicalId(stack.portal.bucket)]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.LoggingConfiguration).toBeDefined();
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === logicalId(stack.portal.bucket))![1].Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // CloudFront may read, and only the distribution's own requests
    const read = policy.find((s: any) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Condition)).toContain(logicalId(stack.portal.distribution));
  });

  it('serves the bucket through Origin Access Control as the default behaviour, with deep links rewritten to index.html', () => {
    const [[oacId, oac]] = ofType('AWS::CloudFront::OriginAccessControl') as [[string, CfnResource]];
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const config = distribution();
    const s3Origin = config.Origins.find((o: any) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ TargetOriginId: s3Origin.Id, ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
    // no distribution-wide error mapping: it would turn the API's JSON 404s into index.html
    expect(config.CustomErrorResponses).toBeUndefined();

    const [functionId] = config.DefaultCacheBehavior.FunctionAssociations.map((a: any) => a.FunctionARN['Fn::GetAtt'][0]);
    const code: string = resources[functionId]!.Properties.FunctionCode;
    const rewrite = new Function(`${code}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    expect(rewrite({ request: { uri: '/items/SC-XK-0001' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/assets/app-ABC123.js' } }).uri).toBe('/assets/app-ABC123.js');
  });

  it('sends the API paths to the HTTP API uncached, with every viewer header but Host, the query and the cookies', () => {
    const config = distribution();
    const apiOrigin = config.Origins.find((o: any) => o.CustomOriginConfig);
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(logicalId(stack.api));
    const behaviours = config.CacheBehaviors as any[];
    expect(behaviours.map((b) => b.PathPattern).sort()).toEqual(['/.well-known/*', '/health', '/openapi.json', '/v1/*']);
    for (const behaviour of behaviours) {
      expect(behaviour).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        // the managed CachingDisabled and AllViewerExceptHostHeader policies
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
      expect(behaviour.ResponseHeadersPolicyId).toBeUndefined();
    }
  });

  it('lets the portal origin PUT uploads to the blob bucket and GET large materials from it, with their file name (CORS)', () => {
    const rules = resources[logicalId(stack.blobBucket)]!.Properties.CorsConfiguration.CorsRules as { AllowedOrigins: unknown[]; AllowedMethods: string[]; ExposedHeaders?: string[] }[];
    const portalRule = rules.find((rule) => rule.AllowedOrigins.includes('https://*.cloudfront.net'));
    expect(portalRule?.AllowedMethods).toEqual(['PUT', 'GET', 'HEAD']);
    expect(portalRule?.ExposedHeaders).toEqual(['ETag', 'Content-Disposition']);
  });

  it('gives the portal the same CSP and security headers as the local gateway', () => {
    const policyId = distribution().DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const config = resources[policyId]!.Properties.ResponseHeadersPolicyConfig;
    expect(config.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: expect.anything(), Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: PORTAL_SECURITY_HEADERS['x-frame-options'], Override: true },
      ReferrerPolicy: { ReferrerPolicy: PORTAL_SECURITY_HEADERS['referrer-policy'], Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
    });
    // the local CSP, plus the blob bucket's origin where presigned upload and download URLs point
    const blobs = logicalId(stack.blobBucket);
    expect(rendered(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(
      portalContentSecurityPolicy([`https://\${${blobs}}.s3.\${AWS::Region}.\${AWS::URLSuffix}`]),
    );
    expect(PORTAL_SECURITY_HEADERS['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(config.CustomHeadersConfig.Items).toEqual([
      { Header: 'cross-origin-opener-policy', Value: PORTAL_SECURITY_HEADERS['cross-origin-opener-policy'], Override: true },
      { Header: 'permissions-policy', Value: PORTAL_SECURITY_HEADERS['permissions-policy'], Override: true },
    ]);
  });

  it('deploys the portal build into the bucket: hashed assets immutable, index.html revalidated and after them', () => {
    const deployments = ofType('Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const byCache = Object.fromEntries(deployments.map(([id, d]) => [d.Properties.SystemMetadata['cache-control'], { id, props: d.Properties }]));
    expect(Object.keys(byCache).sort()).toEqual([PORTAL_INDEX_CACHE_CONTROL, PORTAL_ASSET_CACHE_CONTROL].sort());
    const assets = byCache[PORTAL_ASSET_CACHE_CONTROL]!;
    const index = byCache[PORTAL_INDEX_CACHE_CONTROL]!;
    for (const { props } of [assets, index]) {
      expect(props.DestinationBucketName).toEqual({ Ref: logicalId(stack.portal.bucket) });
      expect(props.Prune).toBe(false);
      expect(props.RetainOnDelete).toBe(false);
    }
    expect(assets.props.Exclude).toEqual(['index.html']);
    expect(index.props).toMatchObject({ Exclude: ['*'], Include: ['index.html'] });
    expect((resources[index.id] as any).DependsOn ?? []).toEqual(expect.arrayContaining([expect.stringMatching(/DeployAssets/)]));
  });

  it('names the portal URL among the outputs and passes cdk-nag with reasons for what it acknowledges', () => {
    expect(Template.fromStack(stack).toJSON().Outputs.PortalUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.portal.distribution), 'DomainName'] }]] });
    expect(nagFindings).toEqual([]);
  });
});
