/**
 * Keys whose private material never leaves the vault (AWS KMS in the cloud, the local vault
 * locally). Signing takes a digest the caller computed (KMS MessageType DIGEST): SHA-256 for
 * P-256, SM3(ZA || M) for SM2. Signatures are DER-encoded ECDSA/SM2 (r, s) sequences.
 */
export type SigningKeySpec = 'ECC_NIST_P256' | 'SM2';

export interface CreatedKey {
  readonly keyId: string;
  readonly spec: SigningKeySpec;
}

export interface PublicKeyInfo {
  readonly keyId: string;
  readonly spec: SigningKeySpec;
  /** SubjectPublicKeyInfo, DER */
  readonly spki: Uint8Array;
}

export interface DataKey {
  /** 32-byte AES key; use it and drop it */
  readonly plaintext: Uint8Array;
  /** the same key encrypted under the vault key; store it beside the data */
  readonly ciphertext: Uint8Array;
}

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KeyVault {
  /**
   * A new signing key for the calling function. With `sharedWithKeyUsers` the deployment's key
   * user roles may sign with it too (a seal's key: seal-admin creates it, seal-sign signs);
   * otherwise only the caller may use it (the seal CA keys).
   */
  createSigningKey(input: { spec: SigningKeySpec; description: string; sharedWithKeyUsers?: boolean }): Promise<CreatedKey>;
  signDigest(keyId: string, digest: Uint8Array): Promise<Uint8Array>;
  getPublicKey(keyId: string): Promise<PublicKeyInfo>;
  disableKey(keyId: string): Promise<void>;
  scheduleKeyDeletion(keyId: string, pendingWindowDays: number): Promise<void>;
  keyState(keyId: string): Promise<KeyState>;
  /** a fresh data key under a symmetric vault key (envelope encryption) */
  generateDataKey(keyId: string): Promise<DataKey>;
  decryptDataKey(keyId: string, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** HMAC-SHA-256 under a MAC key of the vault (KMS GenerateMac, HMAC_SHA_256) */
  generateMac(keyId: string, message: Uint8Array): Promise<Uint8Array>;
}
