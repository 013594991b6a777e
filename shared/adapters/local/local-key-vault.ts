import { createCipheriv, createDecipheriv, createHmac, generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { p256 } from '@noble/curves/nist';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CreatedKey, DataKey, KeyState, KeyVault, PublicKeyInfo, SigningKeySpec } from '../../ports/key-vault.js';
import { generateSm2KeyPair, signSm2Digest, sm2PublicKeyToSpki } from '../../crypto/sm2.js';
import {
  InvalidCiphertextError,
  KeyAliasExistsError,
  KeyDisabledError,
  KeyInvalidStateError,
  KeyNotFoundError,
  KeyUsageError,
  KeyVaultValidationError,
} from '../key-vault-errors.js';

/** The local vault's extras: symmetric and MAC keys and aliases, which CDK creates in the cloud. */
export interface LocalKeyVault extends KeyVault {
  /** a vault key for envelope encryption (generateDataKey / decryptDataKey) */
  createSymmetricKey(input: { description: string }): Promise<{ keyId: string }>;
  /** an HMAC-SHA-256 key (generateMac) */
  createMacKey(input: { description: string }): Promise<{ keyId: string }>;
  /** names a key, e.g. `alias/token-signing`, so it can be found again after a restart */
  createAlias(alias: string, keyId: string): Promise<void>;
  /** the key id an alias names, or the key id itself if the key exists; undefined otherwise */
  resolve(aliasOrKeyId: string): Promise<string | undefined>;
}

type StoredSpec = SigningKeySpec | 'SYMMETRIC_DEFAULT' | 'HMAC_256';
type KeyUsage = 'sign' | 'encrypt' | 'mac';

const usageOf = (spec: StoredSpec): KeyUsage => (spec === 'SYMMETRIC_DEFAULT' ? 'encrypt' : spec === 'HMAC_256' ? 'mac' : 'sign');

interface StoredKey {
  readonly keyId: string;
  readonly spec: StoredSpec;
  readonly description: string;
  readonly createdAt: string;
  state: KeyState;
  deletionDate?: string;
  /** SubjectPublicKeyInfo DER, base64; signing keys only */
  readonly publicKey?: string;
  /** the private scalar, AES key or HMAC key, sealed under the master key (iv || tag || ciphertext), base64 */
  readonly sealedMaterial: string;
}

interface VaultFile {
  readonly version: 1;
  keys: Record<string, StoredKey>;
  aliases: Record<string, string>;
}

const MIN_PENDING_WINDOW_DAYS = 7;
const MAX_PENDING_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** KMS's limit for Sign RAW and GenerateMac messages, kept so local code cannot rely on more */
const MAX_MAC_MESSAGE_BYTES = 4096;
const ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

/**
 * The KMS twin for `npm start` and tests: P-256 keys (ECDSA with @noble/curves, because node's
 * crypto hashes whatever it signs and cannot sign a digest), SM2 keys (shared/crypto/sm2.ts),
 * AES-256-GCM vault keys for envelope encryption and HMAC-SHA-256 keys for lookup hashes.
 *
 * Key material is sealed with AES-256-GCM under `<dir>/master.key` (32 random bytes, mode 0600,
 * created on first use) and kept in `<dir>/keys.json`, rewritten atomically on every change.
 * Key states follow KMS: disabled keys refuse to sign, keys pending deletion refuse everything
 * but `keyState` and vanish when their window ends. One process owns a vault directory.
 */
export function createLocalKeyVault(options: { dir: string; clock?: Clock }): LocalKeyVault {
  const clock = options.clock ?? systemClock;
  const keysPath = path.join(options.dir, 'keys.json');
  const masterKeyPath = path.join(options.dir, 'master.key');
  const materials = new Map<string, Uint8Array>();
  let opened: Promise<{ masterKey: Uint8Array; file: VaultFile }> | undefined;
  let writes: Promise<unknown> = Promise.resolve();

  const vault = () => (opened ??= openVault());

  async function openVault() {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const masterKey = await loadOrCreateMasterKey(masterKeyPath);
    return { masterKey, file: await readVaultFile(keysPath) };
  }

  /** Read-modify-write of keys.json, one change at a time. */
  function change<T>(apply: (file: VaultFile, masterKey: Uint8Array) => T): Promise<T> {
    const result = writes.then(async () => {
      const state = await vault();
      const file = await readVaultFile(keysPath);
      purgeDeletedKeys(file);
      const value = apply(file, state.masterKey);
      await writeFileAtomically(keysPath, JSON.stringify(file, null, 2));
      state.file = file;
      return value;
    });
    writes = result.catch(() => undefined);
    return result;
  }

  function purgeDeletedKeys(file: VaultFile): void {
    for (const key of Object.values(file.keys)) {
      if (!isDeleted(key)) continue;
      delete file.keys[key.keyId];
      materials.delete(key.keyId);
      for (const [alias, target] of Object.entries(file.aliases)) if (target === key.keyId) delete file.aliases[alias];
    }
  }

  function isDeleted(key: StoredKey): boolean {
    return key.state === 'PendingDeletion' && key.deletionDate !== undefined && Date.parse(key.deletionDate) <= clock.now().getTime();
  }

  function findKey(file: VaultFile, keyId: string, how: { aliasAllowed: boolean }): StoredKey {
    const id = how.aliasAllowed && keyId.startsWith('alias/') ? file.aliases[keyId] : keyId;
    const key = id === undefined ? undefined : file.keys[id];
    if (!key || isDeleted(key)) throw new KeyNotFoundError(keyId);
    return key;
  }

  async function usableKey(keyId: string, usage: KeyUsage): Promise<{ key: StoredKey; material: Uint8Array }> {
    const { file, masterKey } = await vault();
    const key = findKey(file, keyId, { aliasAllowed: true });
    if (key.state === 'Disabled') throw new KeyDisabledError(key.keyId);
    if (key.state === 'PendingDeletion') throw new KeyInvalidStateError(key.keyId, 'pending deletion');
    if (usageOf(key.spec) !== usage) throw new KeyUsageError(key.keyId, `a ${key.spec} key cannot be used to ${usage}`);
    let material = materials.get(key.keyId);
    if (!material) {
      try {
        material = openSealed(masterKey, Buffer.from(key.sealedMaterial, 'base64'), materialContext(key.keyId));
      } catch {
        throw new Error(`the material of key ${key.keyId} cannot be opened with ${masterKeyPath}: the master key was replaced or the record altered`);
      }
      materials.set(key.keyId, material);
    }
    return { key, material };
  }

  async function storeNewKey(spec: StoredSpec, description: string, material: Uint8Array, publicKey?: Uint8Array): Promise<string> {
    const keyId = randomUUID();
    await change((file, masterKey) => {
      file.keys[keyId] = {
        keyId,
        spec,
        description,
        createdAt: clock.now().toISOString(),
        state: 'Enabled',
        ...(publicKey && { publicKey: Buffer.from(publicKey).toString('base64') }),
        sealedMaterial: Buffer.from(seal(masterKey, material, materialContext(keyId))).toString('base64'),
      };
    });
    materials.set(keyId, material);
    return keyId;
  }

  return {
    async createSigningKey({ spec, description }): Promise<CreatedKey> {
      const { privateKey, spki } = spec === 'SM2' ? newSm2Key() : await newP256Key();
      return { keyId: await storeNewKey(spec, description, privateKey, spki), spec };
    },

    async createSymmetricKey({ description }) {
      return { keyId: await storeNewKey('SYMMETRIC_DEFAULT', description, randomBytes(32)) };
    },

    async createMacKey({ description }) {
      return { keyId: await storeNewKey('HMAC_256', description, randomBytes(32)) };
    },

    async signDigest(keyId, digest) {
      if (digest.length !== 32) throw new KeyVaultValidationError('the digest must be 32 bytes (SHA-256 or SM3)');
      const { key, material } = await usableKey(keyId, 'sign');
      return key.spec === 'SM2' ? signSm2Digest(digest, material) : p256.sign(digest, material).toDERRawBytes();
    },

    async getPublicKey(keyId): Promise<PublicKeyInfo> {
      const { key } = await usableKey(keyId, 'sign');
      return { keyId: key.keyId, spec: key.spec as SigningKeySpec, spki: Uint8Array.from(Buffer.from(key.publicKey!, 'base64')) };
    },

    async disableKey(keyId) {
      await change((file) => {
        const key = findKey(file, keyId, { aliasAllowed: false });
        if (key.state === 'PendingDeletion') throw new KeyInvalidStateError(keyId, 'pending deletion');
        key.state = 'Disabled';
      });
    },

    async scheduleKeyDeletion(keyId, pendingWindowDays) {
      const windowValid =
        Number.isInteger(pendingWindowDays) && pendingWindowDays >= MIN_PENDING_WINDOW_DAYS && pendingWindowDays <= MAX_PENDING_WINDOW_DAYS;
      if (!windowValid) {
        throw new KeyVaultValidationError(`the pending window must be ${MIN_PENDING_WINDOW_DAYS} to ${MAX_PENDING_WINDOW_DAYS} days`);
      }
      await change((file) => {
        const key = findKey(file, keyId, { aliasAllowed: false });
        if (key.state === 'PendingDeletion') throw new KeyInvalidStateError(keyId, 'pending deletion');
        key.state = 'PendingDeletion';
        key.deletionDate = new Date(clock.now().getTime() + pendingWindowDays * DAY_MS).toISOString();
      });
    },

    async keyState(keyId) {
      const { file } = await vault();
      return findKey(file, keyId, { aliasAllowed: true }).state;
    },

    async generateDataKey(keyId): Promise<DataKey> {
      const { key, material } = await usableKey(keyId, 'encrypt');
      const plaintext = randomBytes(32);
      return { plaintext: Uint8Array.from(plaintext), ciphertext: seal(material, plaintext, dataKeyContext(key.keyId)) };
    },

    async decryptDataKey(keyId, ciphertext) {
      const { key, material } = await usableKey(keyId, 'encrypt');
      try {
        return openSealed(material, ciphertext, dataKeyContext(key.keyId));
      } catch {
        throw new InvalidCiphertextError(key.keyId);
      }
    },

    async generateMac(keyId, message) {
      if (message.length > MAX_MAC_MESSAGE_BYTES) throw new KeyVaultValidationError(`the message must be at most ${MAX_MAC_MESSAGE_BYTES} bytes`);
      const { material } = await usableKey(keyId, 'mac');
      return Uint8Array.from(createHmac('sha256', material).update(message).digest());
    },

    async createAlias(alias, keyId) {
      if (!ALIAS_PATTERN.test(alias) || alias.startsWith('alias/aws/')) {
        throw new KeyVaultValidationError(`${alias} is not a valid alias name (alias/ followed by letters, digits, / _ -)`);
      }
      await change((file) => {
        findKey(file, keyId, { aliasAllowed: false });
        if (file.aliases[alias] !== undefined && file.keys[file.aliases[alias]]) throw new KeyAliasExistsError(alias);
        file.aliases[alias] = keyId;
      });
    },

    async resolve(aliasOrKeyId) {
      const { file } = await vault();
      try {
        return findKey(file, aliasOrKeyId, { aliasAllowed: true }).keyId;
      } catch (error) {
        if (error instanceof KeyNotFoundError) return undefined;
        throw error;
      }
    },
  };
}

const generateEcKeyPair = promisify(generateKeyPair);

async function newP256Key(): Promise<{ privateKey: Uint8Array; spki: Uint8Array }> {
  const { privateKey, publicKey } = await generateEcKeyPair('ec', { namedCurve: 'P-256' });
  const d = privateKey.export({ format: 'jwk' }).d;
  if (!d) throw new Error('P-256 key generation returned no private scalar');
  return { privateKey: Uint8Array.from(Buffer.from(d, 'base64url')), spki: Uint8Array.from(publicKey.export({ type: 'spki', format: 'der' })) };
}

function newSm2Key(): { privateKey: Uint8Array; spki: Uint8Array } {
  const { privateKey, publicKey } = generateSm2KeyPair();
  return { privateKey, spki: sm2PublicKeyToSpki(publicKey) };
}

/** Binds sealed material to its key id, so records cannot be swapped between keys in keys.json. */
function materialContext(keyId: string): Uint8Array {
  return Buffer.from(`key-material:${keyId}`);
}

function dataKeyContext(keyId: string): Uint8Array {
  return Buffer.from(`data-key:${keyId}`);
}

function seal(key: Uint8Array, plaintext: Uint8Array, context: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(context);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Uint8Array.from(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

/** Throws if the sealed bytes were altered, belong to another context or another key. */
function openSealed(key: Uint8Array, sealed: Uint8Array, context: Uint8Array): Uint8Array {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES)).setAAD(context);
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Uint8Array.from(Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
}

/**
 * Creates the master key with a hard link from a fully written temp file, so a concurrent
 * starter either wins or reads the complete key, never half of one.
 */
async function loadOrCreateMasterKey(masterKeyPath: string): Promise<Uint8Array> {
  const candidate = `${masterKeyPath}.${randomUUID()}.tmp`;
  await writeNewFile(candidate, randomBytes(32));
  try {
    await link(candidate, masterKeyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(candidate);
  }
  const masterKey = await readFile(masterKeyPath);
  if (masterKey.length !== 32) throw new Error(`${masterKeyPath} must hold exactly 32 bytes`);
  return Uint8Array.from(masterKey);
}

async function readVaultFile(keysPath: string): Promise<VaultFile> {
  let text: string;
  try {
    text = await readFile(keysPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {}, aliases: {} };
    throw error;
  }
  const file = JSON.parse(text) as VaultFile;
  if (file.version !== 1 || typeof file.keys !== 'object' || typeof file.aliases !== 'object') {
    throw new Error(`${keysPath} is not a key vault file this version understands`);
  }
  return file;
}

async function writeFileAtomically(target: string, content: string): Promise<void> {
  const temp = `${target}.${randomUUID()}.tmp`;
  await writeNewFile(temp, content);
  await rename(temp, target);
}

async function writeNewFile(file: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
