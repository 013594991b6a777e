import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  InvalidCiphertextException,
  KMSClient,
  KMSInvalidStateException,
  NotFoundException,
  ScheduleKeyDeletionCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsKeyVault } from '../../shared/adapters/aws/kms-key-vault.js';
import { InvalidCiphertextError, KeyDisabledError, KeyInvalidStateError, KeyNotFoundError } from '../../shared/adapters/key-vault-errors.js';

const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'cn-north-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const metadata = { AWSAccountId: '111122223333', KeyId: 'key-1' };
const exception = { $metadata: {}, message: 'refused' };

describe('kmsKeyVault request shapes', () => {
  beforeEach(() => {
    kms.reset();
  });

  it('creates SIGN_VERIFY keys of the requested spec, administered by the account root and used by the owner role', async () => {
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: { ...metadata, KeyId: 'sm2-key' } });
    const ownerRole = 'arn:aws-cn:iam::111122223333:role/gov-prod-SealFunctionRole-1A2B3C';
    const created = await kmsKeyVault(client, { keyOwnerRoleArn: ownerRole }).createSigningKey({ spec: 'SM2', description: 'seal of agency A' });
    expect(created).toEqual({ keyId: 'sm2-key', spec: 'SM2' });

    const { Policy, ...input } = kms.commandCalls(CreateKeyCommand)[0]!.args[0].input;
    expect(input).toEqual({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY', Description: 'seal of agency A' });
    const policy = JSON.parse(Policy!) as { Version: string; Statement: { Principal: { AWS: string }; Action: string[]; Effect: string; Resource: string }[] };
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
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: { ...metadata, KeyId: 'p256-key' } });
    await expect(kmsKeyVault(client).createSigningKey({ spec: 'ECC_NIST_P256', description: 'seal' })).rejects.toThrow(/KEY_OWNER_ROLE_ARN is not set/);
    await expect(
      kmsKeyVault(client, { keyOwnerRoleArn: 'arn:aws:iam::111122223333:user/alice' }).createSigningKey({ spec: 'ECC_NIST_P256', description: 'seal' }),
    ).rejects.toThrow(/not an IAM role ARN/);
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
  });

  it('signs digests with the algorithm of the key spec, describing each key once', async () => {
    kms.on(DescribeKeyCommand, { KeyId: 'p256-key' }).resolves({ KeyMetadata: { ...metadata, KeyId: 'p256-key', KeySpec: 'ECC_NIST_P256' } });
    kms.on(DescribeKeyCommand, { KeyId: 'sm2-key' }).resolves({ KeyMetadata: { ...metadata, KeyId: 'sm2-key', KeySpec: 'SM2' } });
    kms.on(SignCommand).resolves({ Signature: Uint8Array.of(0x30, 0x06, 2, 1, 1, 2, 1, 1) });
    const vault = kmsKeyVault(client);
    const digest = new Uint8Array(32).fill(9);

    expect(await vault.signDigest('p256-key', digest)).toEqual(Uint8Array.of(0x30, 0x06, 2, 1, 1, 2, 1, 1));
    await vault.signDigest('p256-key', digest);
    await vault.signDigest('sm2-key', digest);

    const signs = kms.commandCalls(SignCommand).map((call) => call.args[0].input);
    expect(signs[0]).toEqual({ KeyId: 'p256-key', Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(signs[2]).toEqual({ KeyId: 'sm2-key', Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'SM2DSA' });
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(2);
  });

  it('returns the SubjectPublicKeyInfo of a signing key', async () => {
    const spki = Uint8Array.of(0x30, 0x59, 1, 2, 3);
    kms.on(GetPublicKeyCommand).resolves({ KeyId: 'arn:aws-cn:kms:cn-north-1:111122223333:key/key-1', KeySpec: 'ECC_NIST_P256', PublicKey: spki });
    const info = await kmsKeyVault(client).getPublicKey('alias/token-signing');
    expect(info).toEqual({ keyId: 'arn:aws-cn:kms:cn-north-1:111122223333:key/key-1', spec: 'ECC_NIST_P256', spki });
    expect(kms.commandCalls(GetPublicKeyCommand)[0]!.args[0].input).toEqual({ KeyId: 'alias/token-signing' });
  });

  it('disables keys, schedules deletion and reports states', async () => {
    kms.on(DisableKeyCommand).resolves({});
    kms.on(ScheduleKeyDeletionCommand).resolves({});
    kms
      .on(DescribeKeyCommand)
      .resolvesOnce({ KeyMetadata: { ...metadata, KeyState: 'Disabled' } })
      .resolvesOnce({ KeyMetadata: { ...metadata, KeyState: 'PendingReplicaDeletion' } })
      .resolvesOnce({ KeyMetadata: { ...metadata, KeyState: 'Creating' } });
    const vault = kmsKeyVault(client);

    await vault.disableKey('key-1');
    await vault.scheduleKeyDeletion('key-1', 7);
    expect(kms.commandCalls(DisableKeyCommand)[0]!.args[0].input).toEqual({ KeyId: 'key-1' });
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)[0]!.args[0].input).toEqual({ KeyId: 'key-1', PendingWindowInDays: 7 });
    expect(await vault.keyState('key-1')).toBe('Disabled');
    expect(await vault.keyState('key-1')).toBe('PendingDeletion');
    await expect(vault.keyState('key-1')).rejects.toBeInstanceOf(KeyInvalidStateError);
  });

  it('generates AES-256 data keys and decrypts them with the same vault key', async () => {
    const plaintext = new Uint8Array(32).fill(1);
    const ciphertext = new Uint8Array(184).fill(2);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintext, CiphertextBlob: ciphertext, KeyId: 'data-key' });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: 'data-key' });
    const vault = kmsKeyVault(client);

    expect(await vault.generateDataKey('data-key')).toEqual({ plaintext, ciphertext });
    expect(await vault.decryptDataKey('data-key', ciphertext)).toEqual(plaintext);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({ KeyId: 'data-key', KeySpec: 'AES_256' });
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toEqual({ KeyId: 'data-key', CiphertextBlob: ciphertext });
  });

  it('computes HMAC-SHA-256 with GenerateMac', async () => {
    const mac = new Uint8Array(32).fill(3);
    kms.on(GenerateMacCommand).resolves({ Mac: mac, KeyId: 'mac-key', MacAlgorithm: 'HMAC_SHA_256' });
    const message = Buffer.from('phone:13800000000');
    expect(await kmsKeyVault(client).generateMac('mac-key', message)).toEqual(mac);
    expect(kms.commandCalls(GenerateMacCommand)[0]!.args[0].input).toEqual({ KeyId: 'mac-key', Message: message, MacAlgorithm: 'HMAC_SHA_256' });
  });

  it('turns KMS exceptions into the vault errors', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { ...metadata, KeySpec: 'SM2' } });
    kms.on(SignCommand).rejects(new DisabledException(exception));
    kms.on(GetPublicKeyCommand).rejects(new NotFoundException(exception));
    kms.on(DisableKeyCommand).rejects(new KMSInvalidStateException(exception));
    kms.on(DecryptCommand).rejects(new InvalidCiphertextException(exception));
    const vault = kmsKeyVault(client);

    await expect(vault.signDigest('key-1', new Uint8Array(32))).rejects.toBeInstanceOf(KeyDisabledError);
    await expect(vault.getPublicKey('key-1')).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(vault.disableKey('key-1')).rejects.toBeInstanceOf(KeyInvalidStateError);
    await expect(vault.decryptDataKey('key-1', new Uint8Array(10))).rejects.toBeInstanceOf(InvalidCiphertextError);
  });
});
