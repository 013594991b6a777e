import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PlatformStack } from './stacks/platform-stack.js';
import { settingsFromContext } from './stacks/platform-settings.js';

/**
 * The CDK app (`npx cdk synth|deploy`). Settings come from cdk.json context, overridable with
 * `-c key=value`. Account and region come from the CLI's environment when it has credentials;
 * without them the stack is environment-agnostic, so synth works offline. cdk-nag's AWS
 * Solutions checks run on every synth and fail it on any finding not acknowledged in code.
 */
const app = new App();
const settings = settingsFromContext(app.node);
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new PlatformStack(app, `GovPlatform-${settings.stage}`, {
  description: `Government service platform (GB/T 39047-2020), stage ${settings.stage}`,
  settings,
  projectRoot: fileURLToPath(new URL('..', import.meta.url)),
  ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  terminationProtection: settings.stage === 'prod',
});
Tags.of(app).add('project', 'gov-service-platform');
Tags.of(app).add('stage', settings.stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
