/**
 * How every Lambda is bundled: the CDK stack (NodejsFunction bundling) and the bundle benchmark
 * and tests (esbuild directly) read these settings, so the measured bundle is the deployed one.
 */
export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  treeShaking: true,
  /**
   * Minified names, as NodejsFunction does by default: keeping them costs ~25 KB per bundle.
   * Nothing depends on constructor names (errors carry an explicit `name`), and every failure
   * is logged with its request id and error code.
   */
  keepNames: false,
  /** CommonJS dependencies inside an ESM bundle still call require() */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/** the bundle budget of issue #2: every Lambda at most 400 KB minified */
export const MAX_BUNDLE_BYTES = 400 * 1000;

/** the Lambda entry of a manifest function */
export const lambdaEntry = (functionName: string) => `functions/${functionName}/handler.ts`;

/**
 * Left out of every bundle: the credential providers Lambda never reaches. In Lambda the SDK's
 * default chain finds the function role's credentials in the environment first; these other
 * providers (profiles, SSO, web identity, container and instance metadata) are loaded by dynamic
 * import only after that fails, so excluding them changes nothing at run time and removes about
 * 120 KB (with their nested STS/SSO clients) from each bundle.
 */
export const LAMBDA_EXTERNAL_MODULES = [
  '@aws-sdk/credential-provider-cognito-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
] as const;
