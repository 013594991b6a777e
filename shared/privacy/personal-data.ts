import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyVault } from '../ports/key-vault.js';

/** What a personal-data value is, so equal numbers of different kinds never share a lookup hash. */
export type LookupKind = 'resident-id' | 'id-document' | 'uscc' | 'phone' | 'email' | 'username' | 'sms-code';

export interface PersonalDataProtector {
  /** envelope-encrypts a value: AES-256-GCM under a data key that the vault wraps */
  seal(value: string): Promise<string>;
  open(sealed: string): Promise<string>;
  /** keyed hash (HMAC-SHA-256 in the vault) to find a record by a value without storing the value */
  lookupHash(kind: LookupKind, value: string): Promise<string>;
}

/** How long one data key encrypts new values before a fresh one is requested (bounds KMS calls per cold start). */
const DATA_KEY_REUSE_MS = 5 * 60 * 1000;

/**
 * Personal-data protection (DESIGN §4) over the key vault. Sealed format:
 * "v1.<wrapped data key>.<iv>.<ciphertext>.<tag>" (base64url parts). Unwrapped data keys are cached
 * in memory by their wrapped form so reads cost one vault call per key, not per value.
 */
export function personalDataProtector(deps: { vault: KeyVault; dataKeyId: string; lookupKeyId: string }): PersonalDataProtector {
  let current: { plaintext: Buffer; wrapped: string; until: number } | undefined;
  const unwrapped = new Map<string, Promise<Buffer>>();

  const encryptionKey = async () => {
    if (!current || Date.now() > current.until) {
      const key = await deps.vault.generateDataKey(deps.dataKeyId);
      const wrapped = Buffer.from(key.ciphertext).toString('base64url');
      current = { plaintext: Buffer.from(key.plaintext), wrapped, until: Date.now() + DATA_KEY_REUSE_MS };
      unwrapped.set(wrapped, Promise.resolve(current.plaintext));
    }
    return current;
  };

  const decryptionKey = (wrapped: string) => {
    let key = unwrapped.get(wrapped);
    if (!key) {
      key = deps.vault.decryptDataKey(deps.dataKeyId, Buffer.from(wrapped, 'base64url')).then((plain) => Buffer.from(plain));
      key.catch(() => unwrapped.delete(wrapped));
      unwrapped.set(wrapped, key);
    }
    return key;
  };

  return {
    async seal(value) {
      const key = await encryptionKey();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
      const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return ['v1', key.wrapped, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    async open(sealed) {
      const [version, wrapped, iv, ciphertext, tag] = sealed.split('.');
      if (version !== 'v1' || !wrapped || !iv || ciphertext === undefined || !tag) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', await decryptionKey(wrapped), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash: lookupHasher(deps),
  };
}

/** The keyed lookup hash alone, for functions that find records by a value but never seal or open one. */
export function lookupHasher(deps: { vault: KeyVault; lookupKeyId: string }): PersonalDataProtector['lookupHash'] {
  return async (kind, value) => {
    const mac = await deps.vault.generateMac(deps.lookupKeyId, Buffer.from(`${kind}:${value}`, 'utf8'));
    return Buffer.from(mac).toString('base64url');
  };
}
