import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../shared/ports/clock.js';
import type { KeyVault } from '../../shared/ports/key-vault.js';
import { createLocalKeyVault, type LocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import {
  InvalidCiphertextError,
  KeyAliasExistsError,
  KeyDisabledError,
  KeyInvalidStateError,
  KeyNotFoundError,
  KeyUsageError,
  KeyVaultValidationError,
} from '../../shared/adapters/key-vault-errors.js';
import { decodeSignatureDer } from '../../shared/crypto/ecdsa-der.js';
import { sm2Digest, sm2PublicKeyFromSpki, sm2PublicKeyHex, verifySm2 } from '../../shared/crypto/sm2.js';

const require = createRequire(import.meta.url);
/** the original sm-crypto, independent of the sm-crypto-v2 code the vault signs with */
const smCrypto = require('sm-crypto') as {
  sm2: {
    generateKeyPairHex(): { privateKey: string; publicKey: string };
    doSignature(msg: number[], privateKey: string, options: { der: boolean; hash: boolean }): string;
    doVerifySignature(msg: number[], signature: string, publicKey: string, options: { der: boolean; hash: boolean }): boolean;
  };
};

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

class ManualClock implements Clock {
  constructor(private current = new Date('2025-03-01T08:00:00Z')) {}
  now() {
    return this.current;
  }
  advanceDays(days: number) {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/**
 * What every KeyVault adapter must do. The local vault runs it here; KMS needs an AWS account,
 * so its adapter is held to the request shapes in test/unit/kms-key-vault.test.ts.
 */
function keyVaultContract(name: string, setup: () => Promise<{ vault: KeyVault; createDataKeyVaultKey: () => Promise<string>; clock: ManualClock }>) {
  describe(`KeyVault contract: ${name}`, () => {
    let vault: KeyVault;
    let createDataKeyVaultKey: () => Promise<string>;
    let clock: ManualClock;

    beforeAll(async () => {
      ({ vault, createDataKeyVaultKey, clock } = await setup());
    });

    it('signs a SHA-256 digest with a P-256 key so that node crypto verifies it over the message', async () => {
      const { keyId, spec } = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'contract p256' });
      expect(spec).toBe('ECC_NIST_P256');
      const message = Buffer.from('{"sub":"citizen-1"}');
      const signature = await vault.signDigest(keyId, sha256(message));
      expect(() => decodeSignatureDer(signature)).not.toThrow();

      const info = await vault.getPublicKey(keyId);
      expect(info).toMatchObject({ keyId, spec: 'ECC_NIST_P256' });
      const publicKey = createPublicKey({ key: Buffer.from(info.spki), format: 'der', type: 'spki' });
      expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(verify('sha256', message, publicKey, signature)).toBe(true);
      expect(verify('sha256', Buffer.from('{"sub":"citizen-2"}'), publicKey, signature)).toBe(false);
    });

    it('signs SM3(ZA || M) with an SM2 key so that the independent sm-crypto verifies it', async () => {
      const { keyId } = await vault.createSigningKey({ spec: 'SM2', description: 'contract sm2' });
      const { spki, spec } = await vault.getPublicKey(keyId);
      expect(spec).toBe('SM2');
      const publicKey = sm2PublicKeyFromSpki(spki);
      const message = Buffer.from('SES_Signature TBS 电子印章', 'utf8');
      const signature = await vault.signDigest(keyId, sm2Digest(message, publicKey));

      const verifiedBySmCrypto = smCrypto.sm2.doVerifySignature(Array.from(message), Buffer.from(signature).toString('hex'), sm2PublicKeyHex(publicKey), {
        der: true,
        hash: true,
      });
      expect(verifiedBySmCrypto).toBe(true);
      expect(verifySm2(message, signature, publicKey)).toBe(true);
      expect(verifySm2(Buffer.from('other', 'utf8'), signature, publicKey)).toBe(false);
    });

    it('verifies SM2 signatures made by sm-crypto', () => {
      const pair = smCrypto.sm2.generateKeyPairHex();
      const message = Buffer.from('由 sm-crypto 签名', 'utf8');
      const signature = Buffer.from(smCrypto.sm2.doSignature(Array.from(message), pair.privateKey, { der: true, hash: true }), 'hex');
      expect(verifySm2(message, signature, Buffer.from(pair.publicKey, 'hex'))).toBe(true);
    });

    it('refuses digests that are not 32 bytes and keys it does not have', async () => {
      const { keyId } = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'contract digest size' });
      await expect(vault.signDigest(keyId, new Uint8Array(48))).rejects.toBeInstanceOf(KeyVaultValidationError);
      const unknown = '2b8f3c1e-0000-4000-8000-000000000000';
      await expect(vault.signDigest(unknown, new Uint8Array(32))).rejects.toBeInstanceOf(KeyNotFoundError);
      await expect(vault.getPublicKey(unknown)).rejects.toBeInstanceOf(KeyNotFoundError);
      await expect(vault.keyState(unknown)).rejects.toBeInstanceOf(KeyNotFoundError);
    });

    it('stops signing with a disabled key', async () => {
      const { keyId } = await vault.createSigningKey({ spec: 'SM2', description: 'contract disable' });
      expect(await vault.keyState(keyId)).toBe('Enabled');
      await vault.disableKey(keyId);
      expect(await vault.keyState(keyId)).toBe('Disabled');
      await expect(vault.signDigest(keyId, new Uint8Array(32))).rejects.toBeInstanceOf(KeyDisabledError);
      await expect(vault.getPublicKey(keyId)).rejects.toBeInstanceOf(KeyDisabledError);
    });

    it('schedules deletion within 7 to 30 days and forgets the key when the window ends', async () => {
      const { keyId } = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'contract deletion' });
      await expect(vault.scheduleKeyDeletion(keyId, 6)).rejects.toBeInstanceOf(KeyVaultValidationError);
      await expect(vault.scheduleKeyDeletion(keyId, 31)).rejects.toBeInstanceOf(KeyVaultValidationError);
      await vault.scheduleKeyDeletion(keyId, 7);
      expect(await vault.keyState(keyId)).toBe('PendingDeletion');
      await expect(vault.signDigest(keyId, new Uint8Array(32))).rejects.toBeInstanceOf(KeyInvalidStateError);
      await expect(vault.disableKey(keyId)).rejects.toBeInstanceOf(KeyInvalidStateError);
      await expect(vault.scheduleKeyDeletion(keyId, 7)).rejects.toBeInstanceOf(KeyInvalidStateError);
      clock.advanceDays(7);
      await expect(vault.keyState(keyId)).rejects.toBeInstanceOf(KeyNotFoundError);
    });

    it('round-trips data keys and refuses tampered or foreign ciphertext', async () => {
      const vaultKeyId = await createDataKeyVaultKey();
      const dataKey = await vault.generateDataKey(vaultKeyId);
      expect(dataKey.plaintext.length).toBe(32);
      expect(Buffer.from(dataKey.ciphertext).includes(Buffer.from(dataKey.plaintext))).toBe(false);
      expect(Buffer.from(await vault.decryptDataKey(vaultKeyId, dataKey.ciphertext))).toEqual(Buffer.from(dataKey.plaintext));

      for (const index of [0, 14, dataKey.ciphertext.length - 1]) {
        const tampered = Uint8Array.from(dataKey.ciphertext);
        tampered[index]! ^= 0x01;
        await expect(vault.decryptDataKey(vaultKeyId, tampered)).rejects.toBeInstanceOf(InvalidCiphertextError);
      }
      const otherVaultKeyId = await createDataKeyVaultKey();
      await expect(vault.decryptDataKey(otherVaultKeyId, dataKey.ciphertext)).rejects.toBeInstanceOf(InvalidCiphertextError);
    });

    it('keeps signing keys and data keys apart', async () => {
      const vaultKeyId = await createDataKeyVaultKey();
      const { keyId } = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'contract usage' });
      await expect(vault.generateDataKey(keyId)).rejects.toBeInstanceOf(KeyUsageError);
      await expect(vault.signDigest(vaultKeyId, new Uint8Array(32))).rejects.toBeInstanceOf(KeyUsageError);
      await expect(vault.generateMac(vaultKeyId, new Uint8Array(8))).rejects.toBeInstanceOf(KeyUsageError);
    });
  });
}

describe('local key vault', () => {
  let dir: string;
  const clock = new ManualClock();
  const vaultOn = (vaultDir: string): LocalKeyVault => createLocalKeyVault({ dir: vaultDir, clock });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'key-vault-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  keyVaultContract('local', async () => {
    const vault = vaultOn(path.join(dir, 'contract'));
    return { vault, clock, createDataKeyVaultKey: async () => (await vault.createSymmetricKey({ description: 'contract data' })).keyId };
  });

  it('keeps keys, states, aliases and data keys across a restart', async () => {
    const vaultDir = path.join(dir, 'restart');
    const first = vaultOn(vaultDir);
    const p256 = await first.createSigningKey({ spec: 'ECC_NIST_P256', description: 'tokens' });
    const sm2 = await first.createSigningKey({ spec: 'SM2', description: 'seal' });
    const disabled = await first.createSigningKey({ spec: 'SM2', description: 'old seal' });
    await first.disableKey(disabled.keyId);
    const dataVaultKey = await first.createSymmetricKey({ description: 'personal data' });
    const macKey = await first.createMacKey({ description: 'lookup hashes' });
    await first.createAlias('alias/token-signing', p256.keyId);
    const dataKey = await first.generateDataKey(dataVaultKey.keyId);
    const mac = await first.generateMac(macKey.keyId, Buffer.from('phone:13800000000'));
    const p256Spki = (await first.getPublicKey(p256.keyId)).spki;

    const second = vaultOn(vaultDir);
    expect(await second.resolve('alias/token-signing')).toBe(p256.keyId);
    const message = Buffer.from('after restart');
    const signature = await second.signDigest('alias/token-signing', sha256(message));
    expect(verify('sha256', message, createPublicKey({ key: Buffer.from(p256Spki), format: 'der', type: 'spki' }), signature)).toBe(true);
    const sm2PublicKey = sm2PublicKeyFromSpki((await second.getPublicKey(sm2.keyId)).spki);
    expect(verifySm2(message, await second.signDigest(sm2.keyId, sm2Digest(message, sm2PublicKey)), sm2PublicKey)).toBe(true);
    expect(await second.keyState(disabled.keyId)).toBe('Disabled');
    expect(Buffer.from(await second.decryptDataKey(dataVaultKey.keyId, dataKey.ciphertext))).toEqual(Buffer.from(dataKey.plaintext));
    expect(Buffer.from(await second.generateMac(macKey.keyId, Buffer.from('phone:13800000000')))).toEqual(Buffer.from(mac));
  });

  it('computes HMAC-SHA-256 per key: stable for a message, different across messages and keys', async () => {
    const vault = vaultOn(path.join(dir, 'mac'));
    const one = (await vault.createMacKey({ description: 'one' })).keyId;
    const two = (await vault.createMacKey({ description: 'two' })).keyId;
    const message = Buffer.from('resident-id:11010519491231002X');
    const mac = Buffer.from(await vault.generateMac(one, message));
    expect(mac.length).toBe(32);
    expect(Buffer.from(await vault.generateMac(one, message))).toEqual(mac);
    expect(Buffer.from(await vault.generateMac(one, Buffer.from('resident-id:110105194912310021')))).not.toEqual(mac);
    expect(Buffer.from(await vault.generateMac(two, message))).not.toEqual(mac);
    await expect(vault.generateMac(one, new Uint8Array(4097))).rejects.toBeInstanceOf(KeyVaultValidationError);
    const signing = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'not a mac key' });
    await expect(vault.generateMac(signing.keyId, message)).rejects.toBeInstanceOf(KeyUsageError);
  });

  it('stores key material sealed under a 0600 master key, useless with another master key', async () => {
    const vaultDir = path.join(dir, 'at-rest');
    const vault = vaultOn(vaultDir);
    const { keyId } = await vault.createSymmetricKey({ description: 'at rest' });
    const dataKey = await vault.generateDataKey(keyId);
    expect((await stat(path.join(vaultDir, 'master.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(vaultDir, 'keys.json'))).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(path.join(vaultDir, 'keys.json'), 'utf8')) as { keys: Record<string, { sealedMaterial: string }> };
    expect(Buffer.from(stored.keys[keyId]!.sealedMaterial, 'base64').length).toBe(12 + 16 + 32);

    await writeFile(path.join(vaultDir, 'master.key'), Buffer.alloc(32, 7));
    await expect(vaultOn(vaultDir).decryptDataKey(keyId, dataKey.ciphertext)).rejects.toThrow('cannot be opened with');
  });

  it('names keys with aliases the way KMS does', async () => {
    const vault = vaultOn(path.join(dir, 'aliases'));
    const { keyId } = await vault.createSigningKey({ spec: 'ECC_NIST_P256', description: 'aliased' });
    expect(await vault.resolve('alias/token-signing')).toBeUndefined();
    await vault.createAlias('alias/token-signing', keyId);
    expect(await vault.resolve('alias/token-signing')).toBe(keyId);
    expect(await vault.resolve(keyId)).toBe(keyId);
    expect(await vault.keyState('alias/token-signing')).toBe('Enabled');
    await expect(vault.createAlias('alias/token-signing', keyId)).rejects.toBeInstanceOf(KeyAliasExistsError);
    await expect(vault.createAlias('token-signing', keyId)).rejects.toBeInstanceOf(KeyVaultValidationError);
    await expect(vault.createAlias('alias/aws/kms', keyId)).rejects.toBeInstanceOf(KeyVaultValidationError);
    await expect(vault.createAlias('alias/nothing', 'no-such-key')).rejects.toBeInstanceOf(KeyNotFoundError);
    // KMS DisableKey and ScheduleKeyDeletion take key ids only
    await expect(vault.disableKey('alias/token-signing')).rejects.toBeInstanceOf(KeyNotFoundError);
  });

  it('loses no key when many are created at once', async () => {
    const vaultDir = path.join(dir, 'concurrent');
    const vault = vaultOn(vaultDir);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => vault.createSigningKey({ spec: i % 2 ? 'SM2' : 'ECC_NIST_P256', description: `key ${i}` })),
    );
    const reopened = vaultOn(vaultDir);
    for (const { keyId } of created) expect(await reopened.keyState(keyId)).toBe('Enabled');
  });
});
