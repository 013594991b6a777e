import { join } from 'node:path';
import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { FUNCTION_BUNDLING } from './app-function.js';
import { acknowledge, acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface TokenPublicKeyProps {
  /** the asymmetric key that signs access tokens */
  readonly key: IKey;
  /** folder holding package-lock.json and infra/ */
  readonly projectRoot: string;
  readonly logRetention: RetentionDays;
}

/** the custom resource's onEvent handler, relative to the project root */
const HANDLER_ENTRY = 'infra/custom-resources/token-public-key-handler.ts';

/**
 * The public half of the token signing key, read from KMS at deploy time (Create and Update)
 * by a custom resource whose physical id is the key id. Functions get it in their environment
 * and verify access tokens without any KMS permission or call.
 *
 * A Provider with an own onEvent handler rather than AwsCustomResource: AwsCustomResource
 * returns binary SDK fields decoded as UTF-8 text, which mangles the DER public key
 * (aws/aws-cdk#19065); the handler returns it as base64. The handler's role may only call
 * kms:GetPublicKey on this key, and the framework's role only invoke the handler.
 */
export class TokenPublicKey extends Construct {
  /** base64 DER SubjectPublicKeyInfo of the key (a deploy-time token) */
  readonly publicKey: string;

  constructor(scope: Construct, id: string, props: TokenPublicKeyProps) {
    super(scope, id);
    const lambdaPrincipal = new ServicePrincipal('lambda.amazonaws.com');

    const handlerRole = new Role(this, 'HandlerRole', {
      assumedBy: lambdaPrincipal,
      description: 'reads the public key of the token signing key at deploy time',
    });
    handlerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [props.key.keyArn] }));
    const handlerLogs = new LogGroup(this, 'HandlerLogs', { retention: props.logRetention });
    handlerLogs.grantWrite(handlerRole);
    const handler = new NodejsFunction(this, 'Handler', {
      entry: join(props.projectRoot, HANDLER_ENTRY),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: 'custom resource: public key of the token signing key',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role: handlerRole,
      logGroup: handlerLogs,
      bundling: FUNCTION_BUNDLING,
    });

    const frameworkRole = new Role(this, 'ProviderRole', {
      assumedBy: lambdaPrincipal,
      description: 'custom resource provider framework: invokes the token public key handler',
    });
    const frameworkLogs = new LogGroup(this, 'ProviderLogs', { retention: props.logRetention });
    frameworkLogs.grantWrite(frameworkRole);
    const provider = new Provider(this, 'Provider', { onEventHandler: handler, frameworkOnEventRole: frameworkRole, logGroup: frameworkLogs });

    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TokenPublicKey',
      properties: { KeyId: props.key.keyId },
    });
    this.publicKey = resource.getAttString('PublicKey');

    acknowledgeWildcardResource(
      this,
      `${handler.functionArn}:*`,
      'The provider framework may invoke any version of its own onEvent handler (Provider grants lambda:InvokeFunction on the function and its versions); no other function is reachable.',
    );
    acknowledge(
      handler,
      'AwsSolutions-L1',
      'The handler runs on Node.js 22 like every platform function: the runtime the project is built and tested on (node@22 in package.json), and the target of its bundle.',
    );
  }
}
