import type { KeyVault, PublicKeyInfo } from '../ports/key-vault.js';
import { publicJwk, type Jwks } from './jwt.js';

export interface TokenKeys {
  /** the published key set (GET /.well-known/jwks.json) */
  jwks(): Promise<Jwks>;
  /** the key that signs new tokens: its vault id and its kid */
  signingKey(): Promise<{ keyId: string; kid: string }>;
}

/**
 * Token keys from their public halves. The first key signs; later ones are keys being rotated
 * out, still published so the tokens they signed verify until they expire.
 */
export function tokenKeysFromPublicKeys(load: () => Promise<readonly PublicKeyInfo[]>): TokenKeys {
  let loaded: Promise<{ jwks: Jwks; signing: { keyId: string; kid: string } }> | undefined;
  const get = () => {
    loaded ??= load()
      .then((keys) => {
        if (keys.length === 0) throw new Error('no token signing key is configured');
        const jwks = { keys: keys.map((key) => publicJwk(key)) };
        return { jwks, signing: { keyId: keys[0]!.keyId, kid: jwks.keys[0]!.kid } };
      })
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return loaded;
  };
  return { jwks: async () => (await get()).jwks, signingKey: async () => (await get()).signing };
}

/** Token keys read from the vault (the local runtime), once per process. */
export function tokenKeysFromVault(vault: KeyVault, keyIds: readonly string[]): TokenKeys {
  return tokenKeysFromPublicKeys(() => Promise.all(keyIds.map((keyId) => vault.getPublicKey(keyId))));
}

/**
 * Token keys from the deployment (Lambda): KEY_ID_TOKEN_SIGNING names the signing key and
 * TOKEN_PUBLIC_KEYS holds the base64 SPKI of each published key, signing key first, filled in
 * by the stack at deploy time. Verifying a token then needs no call to KMS at all.
 */
export function tokenKeysFromEnvironment(env: NodeJS.ProcessEnv, signingKeyVariable: string): TokenKeys {
  return tokenKeysFromPublicKeys(async () => {
    const spkis = (env.TOKEN_PUBLIC_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const signingKeyId = env[signingKeyVariable] ?? 'unset';
    return spkis.map((spki, index) => ({
      keyId: index === 0 ? signingKeyId : `published-${index}`,
      spec: 'ECC_NIST_P256' as const,
      spki: Buffer.from(spki, 'base64'),
    }));
  });
}
