import type { KeyVault } from '../ports/key-vault.js';
import { publicJwk, type Jwks } from './jwt.js';

export interface TokenKeys {
  /** the published key set (GET /.well-known/jwks.json) */
  jwks(): Promise<Jwks>;
  /** the key that signs new tokens: its vault id and its kid */
  signingKey(): Promise<{ keyId: string; kid: string }>;
}

/**
 * The token-signing keys of this platform, loaded from the vault once per cold start.
 * `keyIds[0]` signs; further ids are keys being rotated out, still published so tokens they
 * signed verify until they expire.
 */
export function tokenKeys(vault: KeyVault, keyIds: readonly string[]): TokenKeys {
  let loaded: Promise<{ jwks: Jwks; signing: { keyId: string; kid: string } }> | undefined;
  const load = () => {
    loaded ??= Promise.all(keyIds.map(async (keyId) => ({ keyId, jwk: publicJwk(await vault.getPublicKey(keyId)) })))
      .then((keys) => ({ jwks: { keys: keys.map((k) => k.jwk) }, signing: { keyId: keys[0]!.keyId, kid: keys[0]!.jwk.kid } }))
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return loaded;
  };
  return {
    jwks: async () => (await load()).jwks,
    signingKey: async () => (await load()).signing,
  };
}
