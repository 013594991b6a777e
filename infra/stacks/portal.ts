import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as CloudFrontFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Manifest } from '../manifest.js';
import {
  PORTAL_ASSET_CACHE_CONTROL,
  PORTAL_ASSET_PREFIX,
  portalContentSecurityPolicy,
  PORTAL_INDEX_CACHE_CONTROL,
  PORTAL_SECURITY_HEADERS,
  apiPathPatterns,
} from '../portal-policy.js';
import { accessLogBucket } from './access-log-bucket.js';
import { acknowledge, acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface PortalProps {
  /** the platform's HTTP API, served by the same distribution under the manifest's API paths */
  readonly api: HttpApi;
  readonly manifest: Manifest;
  /** folder holding web/ and node_modules/ */
  readonly projectRoot: string;
  readonly stage: string;
  /** the bucket the API's presigned upload URLs point at: the portal's CSP lets the browser PUT there, and its CORS lets the portal's origin */
  readonly uploadBucket: Bucket;
}

/** where CloudFront's default domain names live */
const CLOUDFRONT_DOMAIN = 'cloudfront.net';

/** the security headers CloudFront cannot set through its security-headers behaviour */
const CUSTOM_SECURITY_HEADERS = ['cross-origin-opener-policy', 'permissions-policy'] as const;

/**
 * The web portal in AWS, from the same build `npm start` serves:
 * 1. web/build.ts builds the portal at synth time (asset bundling, esbuild, about a second)
 *    into the asset folder under cdk.out;
 * 2. a private bucket (encrypted, TLS only, no public access) receives it through two
 *    deployments: hashed assets cached for a year as immutable, index.html revalidated always;
 * 3. one CloudFront distribution is the portal's origin: the bucket through Origin Access
 *    Control by default, with a viewer-request function that answers every path outside
 *    /assets/ with index.html (deep links), and the HTTP API for the manifest's API paths
 *    (/v1/*, /.well-known/*, /openapi.json, /health), uncached, with every viewer header but
 *    Host, the query and the cookies forwarded. Portal and API thus share one origin, which the
 *    httpOnly refresh cookie (SameSite=Strict, Path=/v1/identity) and `connect-src 'self'` need;
 * 4. a response-headers policy gives the portal its CSP and security headers, the same as the
 *    local gateway's (infra/portal-policy.ts); the API keeps its own.
 */
export class Portal extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const logs = accessLogBucket(this, 'Logs', { loggedResources: 'the portal bucket and its CloudFront distribution', objectWriter: true });

    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'portal-bucket/',
      // the build output, reproducible from the repository; the deployments remove it on delete
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // presigned upload URLs are virtual-hosted: https://<bucket>.s3.<region>.<suffix>/uploads/...
    const uploadOrigin = `https://${props.uploadBucket.bucketName}.s3.${stack.region}.${stack.urlSuffix}`;
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // API Gateway answers only its own Host; everything else (Authorization, cookies, query) passes
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `government service portal and API (${props.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders(props.stage, uploadOrigin),
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: this.deepLinkFunction() }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns(props.manifest).map((pattern) => [pattern, apiBehavior])),
    });
    // The browser PUTs materials straight to the blob bucket from the portal's origin, and GETs
    // materials too large for an API response there too, after the API's 303 to a presigned URL
    // (fetch follows it and drops the Authorization header, the bucket being another origin). The
    // rule names CloudFront's domain, not this distribution's: the CSP above already names the
    // bucket, and the bucket naming the distribution back would be a dependency cycle. What the
    // rule allows is only a browser sending a request whose presigned URL our API issued to a
    // signed-in user; Content-Disposition is exposed so the portal saves the file under its name.
    props.uploadBucket.addCorsRule({
      allowedOrigins: [`https://*.${CLOUDFRONT_DOMAIN}`],
      allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag', 'Content-Disposition'],
      maxAge: 3600,
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1', 'The portal is the public entry of a government service platform (GB/T 39047 6.1): it answers every country, and the API under it enforces who may do what.');
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Request rates are limited by the HTTP API stage throttle behind the API paths, and the portal paths serve only static files from the CDN cache; a WAF web ACL is an operator decision (cost, managed rule sets) that can be attached without changing this stack.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'Without a custom domain the distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum viewer protocol; a deployment with its own portal domain sets a TLSv1.2_2021 policy together with its ACM certificate.',
    );

    const build = portalBuild(props.projectRoot);
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [build],
      destinationBucket: this.bucket,
      exclude: ['index.html'],
      cacheControl: [CacheControl.fromString(PORTAL_ASSET_CACHE_CONTROL)],
      // hashed names: earlier builds' files stay for pages loaded before this deployment
      prune: false,
      retainOnDelete: false,
    });
    const index = new BucketDeployment(this, 'DeployIndex', {
      sources: [build],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['index.html'],
      cacheControl: [CacheControl.fromString(PORTAL_INDEX_CACHE_CONTROL)],
      prune: false,
      retainOnDelete: false,
    });
    // index.html names the new hashed files, so it goes up only after them
    index.node.addDependency(assets);
    acknowledgeDeploymentHandler(assets);

    this.url = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(stack, 'PortalUrl', { value: this.url, description: 'the web portal; the API answers under the same origin at /v1' });
    new CfnOutput(stack, 'PortalBucketName', { value: this.bucket.bucketName });
  }

  /** the portal's CSP and security headers, as the local gateway sends them (infra/portal-policy.ts) */
  private securityHeaders(stage: string, uploadOrigin: string): ResponseHeadersPolicy {
    const hsts = /max-age=(\d+)/.exec(PORTAL_SECURITY_HEADERS['strict-transport-security'])!;
    return new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `CSP and security headers of the web portal (${stage})`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: portalContentSecurityPolicy([uploadOrigin]), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(Number(hsts[1])),
          includeSubdomains: PORTAL_SECURITY_HEADERS['strict-transport-security'].includes('includeSubDomains'),
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: CUSTOM_SECURITY_HEADERS.map((header) => ({ header, value: PORTAL_SECURITY_HEADERS[header], override: true })),
      },
    });
  }

  /** viewer-request: every path outside /assets/ is the single page, so deep links load it */
  private deepLinkFunction(): CloudFrontFunction {
    return new CloudFrontFunction(this, 'DeepLinks', {
      comment: 'serves index.html for the portal routes (history routing)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          `  if (request.uri.indexOf(${JSON.stringify(PORTAL_ASSET_PREFIX)}) !== 0) request.uri = '/index.html';`,
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });
  }
}

/**
 * The findings of the CDK's BucketDeployment handler (one singleton function per stack), each
 * acknowledged by name as cdk-nag 3 requires: its managed logging policy, its runtime, and the
 * wildcards of the grants BucketDeployment writes itself (read the CDK asset bucket, write the
 * portal bucket), whose object names are the build's and unknown in advance.
 */
function acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
  const handler = Stack.of(deployment).node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const policy = deployment.handlerRole.node.tryFindChild('DefaultPolicy') as Policy | undefined;
  if (!handler || !policy) throw new Error('the BucketDeployment handler is not where the CDK puts it');
  acknowledge(handler, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'The CDK BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own log group only.');
  acknowledge(handler, 'AwsSolutions-L1', 'The runtime of the CDK BucketDeployment handler is chosen by aws-cdk-lib and moves with its upgrades.');
  const reason = 'BucketDeployment copies the portal build (file names chosen by the build) from the CDK asset bucket into the portal bucket: wildcards of its own grants, limited to those two buckets.';
  for (const statement of policy.document.toJSON().Statement as { Action: string | string[]; Resource: unknown }[]) {
    for (const action of [statement.Action].flat().filter((a) => a.endsWith('*'))) acknowledge(handler, `AwsSolutions-IAM5[Action::${action}]`, reason);
    for (const resource of [statement.Resource].flat()) {
      if (JSON.stringify(Stack.of(handler).resolve(resource)).includes('*')) acknowledgeWildcardResource(handler, resource as string, reason);
    }
  }
}

/**
 * The portal build as a deployment source: web/build.ts runs during synth (local bundling; in
 * tests that skip bundling the asset is not built). The hash is the output's, so a change
 * anywhere the portal imports from yields a new asset.
 */
function portalBuild(projectRoot: string): ISource {
  return Source.asset(join(projectRoot, 'web'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // required by the API; local bundling always answers, so no container is ever started
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          const built = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'web', 'build.ts'), outputDir], { cwd: projectRoot, stdio: 'inherit' });
          if (built.status !== 0) throw new Error(`the portal build failed (web/build.ts exited with ${built.status ?? built.signal})`);
          return true;
        },
      },
    },
  });
}
