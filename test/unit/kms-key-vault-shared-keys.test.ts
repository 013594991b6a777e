import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { awsKeyVault, kmsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { fakeAwsJsonService, testCredentials } from '../support/fake-aws-json-service.js';

const created = () => ({ KeyMetadata: { AWSAccountId: '111122223333', KeyId: 'seal-key' } });
let kms = fakeAwsJsonService(created);
const connection = () => ({ region: 'cn-north-1', credentials: testCredentials, fetch: kms.fetch });
const ownerRole = 'arn:aws-cn:iam::111122223333:role/gov-prod-SealAdminRole-1A2B';
const signerRole = 'arn:aws-cn:iam::111122223333:role/gov-prod-SealSignRole-3C4D';

interface PolicyStatement {
  readonly Sid: string;
  readonly Principal: { AWS: string | string[] };
  readonly Action: string[];
}
const policyOf = (call: number) => JSON.parse(kms.inputsOf('CreateKey')[call]!.Policy as string) as { Statement: PolicyStatement[] };

describe('signing keys shared with key users (a seal key: seal-admin creates it, seal-sign signs)', () => {
  beforeEach(() => {
    kms = fakeAwsJsonService(created);
  });

  it('names the key user roles for signing only in the policy of a shared key', async () => {
    const vault = kmsKeyVault({ ...connection(), keyOwnerRoleArn: ownerRole, keyUserRoleArns: [signerRole] });
    await vault.createSigningKey({ spec: 'SM2', description: 'electronic seal 33010600000001', sharedWithKeyUsers: true });
    const users = policyOf(0).Statement.find((s) => s.Sid === 'KeyUsersSign')!;
    expect(users.Principal.AWS).toEqual([signerRole]);
    expect([...users.Action].sort()).toEqual(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign']);
  });

  it('keeps keys that are not shared (the seal CA keys) to the owner role', async () => {
    await kmsKeyVault({ ...connection(), keyOwnerRoleArn: ownerRole, keyUserRoleArns: [signerRole] }).createSigningKey({ spec: 'SM2', description: 'seal CA root' });
    expect(policyOf(0).Statement.map((s) => s.Sid)).toEqual(['AccountRootAdministers', 'OwnerRoleUses']);
    expect(JSON.stringify(policyOf(0))).not.toContain(signerRole);
  });

  it('refuses to share without key users, or with something that is no role', async () => {
    await expect(kmsKeyVault({ ...connection(), keyOwnerRoleArn: ownerRole }).createSigningKey({ spec: 'SM2', description: 'x', sharedWithKeyUsers: true })).rejects.toThrow(/KEY_USER_ROLE_ARNS is not set/);
    await expect(
      kmsKeyVault({ ...connection(), keyOwnerRoleArn: ownerRole, keyUserRoleArns: ['arn:aws-cn:iam::111122223333:user/bob'] }).createSigningKey({ spec: 'SM2', description: 'x', sharedWithKeyUsers: true }),
    ).rejects.toThrow(/KEY_USER_ROLE_ARNS/);
    expect(kms.requests).toHaveLength(0);
  });

  describe('in a Lambda function (awsKeyVault: the role credentials in the environment, global fetch)', () => {
    const roleCredentials = { AWS_ACCESS_KEY_ID: 'ASIATEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    const saved = Object.fromEntries(Object.keys(roleCredentials).map((name) => [name, process.env[name]]));
    beforeEach(() => {
      Object.assign(process.env, roleCredentials);
      jest.spyOn(globalThis, 'fetch').mockImplementation(kms.fetch);
    });
    afterEach(() => {
      jest.restoreAllMocks();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('reads the key users from KEY_USER_ROLE_ARNS', async () => {
      const vault = awsKeyVault({ KEY_OWNER_ROLE_ARN: ownerRole, KEY_USER_ROLE_ARNS: `${signerRole},arn:aws-cn:iam::111122223333:role/other`, AWS_REGION: 'cn-north-1' });
      await vault.createSigningKey({ spec: 'SM2', description: 'x', sharedWithKeyUsers: true });
      expect(kms.requests[0]?.credentialScope).toMatch(/^ASIATEST\/\d{8}\/cn-north-1\/kms\/aws4_request$/);
      expect(policyOf(0).Statement.find((s) => s.Sid === 'KeyUsersSign')!.Principal.AWS).toEqual([signerRole, 'arn:aws-cn:iam::111122223333:role/other']);
    });

    it('needs AWS_REGION', () => {
      expect(() => awsKeyVault({ KEY_OWNER_ROLE_ARN: ownerRole })).toThrow(/AWS_REGION is not set/);
    });
  });
});
