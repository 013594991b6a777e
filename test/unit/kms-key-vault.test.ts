import { describe, it, expect } from '@jest/globals';
import { AwsServiceError } from '../../shared/adapters/aws/aws-json-service.js';
import { kmsKeyVault, type KmsKeyVaultOptions } from '../../shared/adapters/aws/kms-key-vault.js';
import {
  InvalidCiphertextError,
  KeyDisabledError,
  KeyInvalidStateError,
  KeyNotFoundError,
  KeyUsageError,
  KeyVaultValidationError,
} from '../../shared/adapters/key-vault-errors.js';
import { AwsErrorAnswer, base64, fakeAwsJsonService, testClock, testCredentials, type AwsJsonRequest } from '../support/fake-aws-json-service.js';

const metadata = { AWSAccountId: '111122223333', KeyId: 'key-1' };

/** a vault in cn-north-1 whose KMS is the fake behind `answer` */
function vaultWith(answer: (request: AwsJsonRequest) => unknown, options: Partial<KmsKeyVaultOptions> = {}) {
  const kms = fakeAwsJsonService(answer);
  const vault = kmsKeyVault({ region: 'cn-north-1', credentials: testCredentials, clock: testClock, fetch: kms.fetch, ...options });
  return { vault, kms };
}

describe('kmsKeyVault request shapes', () => {
  it('speaks AWS JSON 1.1 to the regional KMS endpoint, signed for kms', async () => {
    const { vault, kms } = vaultWith(() => ({}));
    await vault.disableKey('key-1');
    expect(kms.requests).toEqual([
      {
        url: 'https://kms.cn-north-1.amazonaws.com.cn/',
        target: 'TrentService.DisableKey',
        operation: 'DisableKey',
        contentType: 'application/x-amz-json-1.1',
        credentialScope: 'AKIDTEST/20250301/cn-north-1/kms/aws4_request',
        input: { KeyId: 'key-1' },
      },
    ]);

    const global = vaultWith(() => ({}), { region: 'eu-central-1' });
    await global.vault.disableKey('key-1');
    expect(global.kms.requests[0]).toMatchObject({ url: 'https://kms.eu-central-1.amazonaws.com/', credentialScope: 'AKIDTEST/20250301/eu-central-1/kms/aws4_request' });
  });

  it('creates SIGN_VERIFY keys of the requested spec, administered by the account root and used by the owner role', async () => {
    const ownerRole = 'arn:aws-cn:iam::111122223333:role/gov-prod-SealFunctionRole-1A2B3C';
    const { vault, kms } = vaultWith(() => ({ KeyMetadata: { ...metadata, KeyId: 'sm2-key' } }), { keyOwnerRoleArn: ownerRole });
    const created = await vault.createSigningKey({ spec: 'SM2', description: 'seal of agency A' });
    expect(created).toEqual({ keyId: 'sm2-key', spec: 'SM2' });

    expect(kms.requests[0]?.target).toBe('TrentService.CreateKey');
    const { Policy, ...input } = kms.inputsOf('CreateKey')[0]!;
    expect(input).toEqual({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY', Description: 'seal of agency A' });
    const policy = JSON.parse(Policy as string) as { Version: string; Statement: { Principal: { AWS: string }; Action: string[]; Effect: string; Resource: string }[] };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => [s.Effect, s.Principal.AWS, s.Resource])).toEqual([
      ['Allow', 'arn:aws-cn:iam::111122223333:root', '*'],
      ['Allow', ownerRole, '*'],
    ]);
    const [root, owner] = policy.Statement;
    // the root administers (PutKeyPolicy included) but gets no use of the key
    expect(root!.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:Disable*', 'kms:ScheduleKeyDeletion']));
    expect(root!.Action.filter((a) => a === 'kms:*' || /Sign|Verify|Mac|crypt/.test(a))).toEqual([]);
    expect(owner!.Action.sort()).toEqual(
      ['kms:DescribeKey', 'kms:DisableKey', 'kms:GetPublicKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:Sign'].sort(),
    );
  });

  it('creates no key without an owner role, nor for an owner that is not an IAM role', async () => {
    const { vault, kms } = vaultWith(() => ({ KeyMetadata: { ...metadata, KeyId: 'p256-key' } }));
    await expect(vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'seal' })).rejects.toThrow(/KEY_OWNER_ROLE_ARN is not set/);
    const withUser = vaultWith(() => ({ KeyMetadata: { ...metadata, KeyId: 'p256-key' } }), { keyOwnerRoleArn: 'arn:aws:iam::111122223333:user/alice' });
    await expect(withUser.vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'seal' })).rejects.toThrow(/not an IAM role ARN/);
    expect([...kms.requests, ...withUser.kms.requests]).toHaveLength(0);
  });

  it('signs digests with the algorithm of the key spec, sending and reading base64, describing each key once', async () => {
    const signature = Uint8Array.of(0x30, 0x06, 2, 1, 1, 2, 1, 1);
    const specs: Record<string, string> = { 'p256-key': 'ECC_NIST_P256', 'sm2-key': 'SM2' };
    const { vault, kms } = vaultWith(({ operation, input }) =>
      operation === 'DescribeKey' ? { KeyMetadata: { ...metadata, KeyId: input.KeyId, KeySpec: specs[input.KeyId as string] } } : { Signature: base64(signature) },
    );
    const digest = new Uint8Array(32).fill(9);

    const signed = await vault.signDigest('p256-key', digest);
    expect(signed).toEqual(signature);
    expect(signed).toBeInstanceOf(Uint8Array);
    await vault.signDigest('p256-key', digest);
    await vault.signDigest('sm2-key', digest);

    const signs = kms.inputsOf('Sign');
    expect(signs[0]).toEqual({ KeyId: 'p256-key', Message: base64(digest), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(signs[2]).toEqual({ KeyId: 'sm2-key', Message: base64(digest), MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' });
    expect(kms.inputsOf('DescribeKey')).toEqual([{ KeyId: 'p256-key' }, { KeyId: 'sm2-key' }]);
  });

  it('refuses to sign with a key that is no signing key of this vault', async () => {
    const { vault, kms } = vaultWith(() => ({ KeyMetadata: { ...metadata, KeySpec: 'SYMMETRIC_DEFAULT' } }));
    await expect(vault.signDigest('key-1', new Uint8Array(32))).rejects.toBeInstanceOf(KeyUsageError);
    expect(kms.inputsOf('Sign')).toHaveLength(0);
  });

  it('returns the SubjectPublicKeyInfo of a signing key', async () => {
    const spki = Uint8Array.of(0x30, 0x59, 1, 2, 3);
    const { vault, kms } = vaultWith(() => ({ KeyId: 'arn:aws-cn:kms:cn-north-1:111122223333:key/key-1', KeySpec: 'ECC_NIST_P256', PublicKey: base64(spki) }));
    const info = await vault.getPublicKey('alias/token-signing');
    expect(info).toEqual({ keyId: 'arn:aws-cn:kms:cn-north-1:111122223333:key/key-1', spec: 'ECC_NIST_P256', spki });
    expect(kms.requests.map((r) => [r.target, r.input])).toEqual([['TrentService.GetPublicKey', { KeyId: 'alias/token-signing' }]]);
  });

  it('disables keys, schedules deletion and reports states', async () => {
    const states = ['Disabled', 'PendingReplicaDeletion', 'Creating'];
    const { vault, kms } = vaultWith(({ operation }) => (operation === 'DescribeKey' ? { KeyMetadata: { ...metadata, KeyState: states.shift() } } : {}));

    await vault.disableKey('key-1');
    await vault.scheduleKeyDeletion('key-1', 7);
    expect(kms.inputsOf('DisableKey')).toEqual([{ KeyId: 'key-1' }]);
    expect(kms.inputsOf('ScheduleKeyDeletion')).toEqual([{ KeyId: 'key-1', PendingWindowInDays: 7 }]);
    expect(await vault.keyState('key-1')).toBe('Disabled');
    expect(await vault.keyState('key-1')).toBe('PendingDeletion');
    await expect(vault.keyState('key-1')).rejects.toBeInstanceOf(KeyInvalidStateError);
  });

  it('generates AES-256 data keys and decrypts them with the same vault key', async () => {
    const plaintext = new Uint8Array(32).fill(1);
    const ciphertext = new Uint8Array(184).fill(2);
    const { vault, kms } = vaultWith(({ operation }) =>
      operation === 'GenerateDataKey'
        ? { Plaintext: base64(plaintext), CiphertextBlob: base64(ciphertext), KeyId: 'data-key' }
        : { Plaintext: base64(plaintext), KeyId: 'data-key' },
    );

    expect(await vault.generateDataKey('data-key')).toEqual({ plaintext, ciphertext });
    expect(await vault.decryptDataKey('data-key', ciphertext)).toEqual(plaintext);
    expect(kms.inputsOf('GenerateDataKey')).toEqual([{ KeyId: 'data-key', KeySpec: 'AES_256' }]);
    expect(kms.inputsOf('Decrypt')).toEqual([{ KeyId: 'data-key', CiphertextBlob: base64(ciphertext) }]);
  });

  it('computes HMAC-SHA-256 with GenerateMac', async () => {
    const mac = new Uint8Array(32).fill(3);
    const { vault, kms } = vaultWith(() => ({ Mac: base64(mac), KeyId: 'mac-key', MacAlgorithm: 'HMAC_SHA_256' }));
    // a view into a larger buffer: only its own bytes are sent
    const message = Buffer.from('..phone:13800000000..').subarray(2, 19);
    expect(await vault.generateMac('mac-key', message)).toEqual(mac);
    expect(kms.inputsOf('GenerateMac')).toEqual([{ KeyId: 'mac-key', Message: Buffer.from('phone:13800000000').toString('base64'), MacAlgorithm: 'HMAC_SHA_256' }]);
  });

  it('turns KMS error answers into the vault errors', async () => {
    const refusals: Record<string, AwsErrorAnswer> = {
      Sign: new AwsErrorAnswer('DisabledException'),
      GetPublicKey: new AwsErrorAnswer('NotFoundException'),
      DisableKey: new AwsErrorAnswer('KMSInvalidStateException'),
      Decrypt: new AwsErrorAnswer('InvalidCiphertextException'),
      GenerateMac: new AwsErrorAnswer('InvalidKeyUsageException', 400, 'key usage is SIGN_VERIFY'),
      ScheduleKeyDeletion: new AwsErrorAnswer('ValidationException', 400, 'PendingWindowInDays must be between 7 and 30'),
      GenerateDataKey: new AwsErrorAnswer('AccessDeniedException'),
    };
    const { vault } = vaultWith(({ operation }) => refusals[operation] ?? { KeyMetadata: { ...metadata, KeySpec: 'SM2' } });

    await expect(vault.signDigest('key-1', new Uint8Array(32))).rejects.toBeInstanceOf(KeyDisabledError);
    await expect(vault.getPublicKey('key-1')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(vault.disableKey('key-1')).rejects.toBeInstanceOf(KeyInvalidStateError);
    await expect(vault.decryptDataKey('key-1', new Uint8Array(10))).rejects.toBeInstanceOf(InvalidCiphertextError);
    await expect(vault.generateMac('key-1', new Uint8Array(1))).rejects.toThrow(new KeyUsageError('key-1', 'key usage is SIGN_VERIFY'));
    await expect(vault.scheduleKeyDeletion('key-1', 3)).rejects.toThrow(new KeyVaultValidationError('PendingWindowInDays must be between 7 and 30'));
    // what the vault has no error for passes through with its code
    const denied = await vault.generateDataKey('key-1').catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AwsServiceError);
    expect(denied).toMatchObject({ operation: 'GenerateDataKey', code: 'AccessDeniedException', status: 400 });
  });
});
