/**
 * What a key vault refuses, the same from the local vault and from KMS (whose exception names
 * are kept in `kmsName`), so callers handle one set of errors in both worlds.
 */
export abstract class KeyVaultError extends Error {
  abstract readonly kmsName: string;
}

export class KeyNotFoundError extends KeyVaultError {
  readonly kmsName = 'NotFoundException';
  constructor(readonly keyId: string) {
    super(`key ${keyId} does not exist`);
    this.name = 'KeyNotFoundError';
  }
}

export class KeyDisabledError extends KeyVaultError {
  readonly kmsName = 'DisabledException';
  constructor(readonly keyId: string) {
    super(`key ${keyId} is disabled`);
    this.name = 'KeyDisabledError';
  }
}

/** The key's state does not allow the operation, e.g. it is pending deletion. */
export class KeyInvalidStateError extends KeyVaultError {
  readonly kmsName = 'KMSInvalidStateException';
  constructor(
    readonly keyId: string,
    readonly state: string,
  ) {
    super(`key ${keyId} is ${state}`);
    this.name = 'KeyInvalidStateError';
  }
}

/** A signing key used for data keys, or the other way round. */
export class KeyUsageError extends KeyVaultError {
  readonly kmsName = 'InvalidKeyUsageException';
  constructor(
    readonly keyId: string,
    message: string,
  ) {
    super(`key ${keyId}: ${message}`);
    this.name = 'KeyUsageError';
  }
}

/** The ciphertext was altered or belongs to another key. */
export class InvalidCiphertextError extends KeyVaultError {
  readonly kmsName = 'InvalidCiphertextException';
  constructor(readonly keyId: string) {
    super(`ciphertext cannot be decrypted with key ${keyId}`);
    this.name = 'InvalidCiphertextError';
  }
}

export class KeyAliasExistsError extends KeyVaultError {
  readonly kmsName = 'AlreadyExistsException';
  constructor(readonly alias: string) {
    super(`alias ${alias} already exists`);
    this.name = 'KeyAliasExistsError';
  }
}

/** A request the vault rejects before looking at any key: a digest of the wrong size, a window out of range. */
export class KeyVaultValidationError extends KeyVaultError {
  readonly kmsName = 'ValidationException';
  constructor(message: string) {
    super(message);
    this.name = 'KeyVaultValidationError';
  }
}
