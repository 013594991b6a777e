import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { manifest, type FunctionSpec, type Manifest } from '../../infra/manifest.js';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';

process.env.CDK_VALIDATION = 'false';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureEntry = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

describe('signing keys created at run time (per-seal keys)', () => {
  const keeper = { name: 'keeper', description: 'creates seal keys', grants: { runtimeSigningKeys: 'manage' } } as const satisfies FunctionSpec;
  const signer = { name: 'signer', description: 'signs with them', grants: { runtimeSigningKeys: 'sign' } } as const satisfies FunctionSpec;
  const testManifest: Manifest = {
    functions: [{ name: 'discovery', description: 'test discovery', routes: [manifest.functions[0].routes[0]], grants: {} }, keeper, signer],
    tables: {},
    queues: {},
    keys: { tokenSigning: { description: 'test signing key', usage: 'SIGN_VERIFY', spec: 'ECC_NIST_P256' } },
  };
  let stack: PlatformStack;
  let resources: Record<string, { Type: string; Properties: any }>;

  beforeAll(() => {
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    stack = new PlatformStack(app, 'GovPlatform-keys', { settings: settingsFromContext(app.node), projectRoot, manifest: testManifest, entryOf: () => fixtureEntry });
    resources = Template.fromStack(stack).toJSON().Resources;
  });

  const logicalId = (name: string) => stack.getLogicalId(stack.functions.get(name)!.fn.node.defaultChild as CfnElement);
  const roleId = (name: string) => stack.getLogicalId(stack.functions.get(name)!.role.node.defaultChild as CfnElement);
  const environment = (name: string) => resources[logicalId(name)]!.Properties.Environment.Variables as Record<string, unknown>;
  const statements = (name: string): Statement[] =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId(name)))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  const kmsActions = (name: string) => statements(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((a) => a.startsWith('kms:'));

  it('lets the managing function create keys, and tells it its own role and the signers\' roles for the key policies', () => {
    expect(kmsActions('keeper')).toEqual(['kms:CreateKey']);
    expect(environment('keeper').KEY_OWNER_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId('keeper'), 'Arn'] });
    expect(environment('keeper').KEY_USER_ROLE_ARNS).toEqual({ 'Fn::GetAtt': [roleId('signer'), 'Arn'] });
  });

  it('gives the signing function no IAM grant at all: only the key policies of shared keys name it', () => {
    expect(kmsActions('signer')).toEqual([]);
    expect(environment('signer').KEY_OWNER_ROLE_ARN).toBeUndefined();
  });

  it('wires seal-admin to manage seal keys, and seal-sign and certificate-issue (issuers\' seals) to sign with them', () => {
    const grants = Object.fromEntries(manifest.functions.map((fn) => [fn.name, (fn.grants as FunctionSpec['grants']).runtimeSigningKeys]));
    expect(grants['seal-admin']).toBe('manage');
    expect(grants['seal-sign']).toBe('sign');
    expect(grants['certificate-issue']).toBe('sign');
    expect(Object.values(grants).filter(Boolean)).toHaveLength(3);
  });
});
