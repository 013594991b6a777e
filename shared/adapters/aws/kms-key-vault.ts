import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import type { KeyState, KeyVault, SigningKeySpec } from '../../ports/key-vault.js';
import {
  InvalidCiphertextError,
  KeyDisabledError,
  KeyInvalidStateError,
  KeyNotFoundError,
  KeyUsageError,
  KeyVaultValidationError,
} from '../key-vault-errors.js';

const signingAlgorithms: Record<SigningKeySpec, SigningAlgorithmSpec> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  // SM2 keys exist in the China regions only
  SM2: 'SM2DSA',
};

export interface KmsKeyVaultOptions {
  /**
   * The role that uses the signing keys this vault creates (KEY_OWNER_ROLE_ARN, set by the stack
   * under a manage grant); without it the vault creates no keys.
   */
  readonly keyOwnerRoleArn?: string;
}

/**
 * The key vault on AWS KMS. Signing always sends `MessageType: DIGEST`, because RAW messages are
 * capped at 4 KiB and a seal's TBS data is larger; the caller hashes (SHA-256, or SM3(ZA || M)
 * for SM2). A key's spec never changes, so it is looked up once per key and container.
 * Signing keys it creates get the key policy of `signingKeyPolicy`.
 */
export function kmsKeyVault(client: KMSClient = new KMSClient({}), options: KmsKeyVaultOptions = {}): KeyVault {
  const specs = new Map<string, SigningKeySpec>();

  async function specOf(keyId: string): Promise<SigningKeySpec> {
    const known = specs.get(keyId);
    if (known) return known;
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    const spec = KeyMetadata?.KeySpec;
    if (spec !== 'ECC_NIST_P256' && spec !== 'SM2') throw new KeyUsageError(keyId, `a ${spec} key cannot sign digests here`);
    specs.set(keyId, spec);
    return spec;
  }

  return {
    createSigningKey: ({ spec, description }) =>
      kmsCall('new key', async () => {
        if (!options.keyOwnerRoleArn) throw new Error('configuration: KEY_OWNER_ROLE_ARN is not set');
        const Policy = JSON.stringify(signingKeyPolicy(options.keyOwnerRoleArn));
        const { KeyMetadata } = await client.send(
          new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Description: description, Policy }),
        );
        const keyId = required(KeyMetadata?.KeyId, 'CreateKey returned no KeyId');
        specs.set(keyId, spec);
        return { keyId, spec };
      }),

    signDigest: (keyId, digest) =>
      kmsCall(keyId, async () => {
        const spec = await specOf(keyId);
        const { Signature } = await client.send(
          new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: signingAlgorithms[spec] }),
        );
        return required(Signature, 'Sign returned no signature');
      }),

    getPublicKey: (keyId) =>
      kmsCall(keyId, async () => {
        const { KeyId, KeySpec, PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
        if (KeySpec !== 'ECC_NIST_P256' && KeySpec !== 'SM2') throw new KeyUsageError(keyId, `a ${KeySpec} key is not a signing key here`);
        return { keyId: KeyId ?? keyId, spec: KeySpec, spki: required(PublicKey, 'GetPublicKey returned no key') };
      }),

    disableKey: (keyId) =>
      kmsCall(keyId, async () => {
        await client.send(new DisableKeyCommand({ KeyId: keyId }));
      }),

    scheduleKeyDeletion: (keyId, pendingWindowDays) =>
      kmsCall(keyId, async () => {
        await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowDays }));
      }),

    keyState: (keyId) =>
      kmsCall(keyId, async () => {
        const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
        return portKeyState(keyId, KeyMetadata?.KeyState);
      }),

    generateDataKey: (keyId) =>
      kmsCall(keyId, async () => {
        const { Plaintext, CiphertextBlob } = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
        return {
          plaintext: required(Plaintext, 'GenerateDataKey returned no plaintext'),
          ciphertext: required(CiphertextBlob, 'GenerateDataKey returned no ciphertext'),
        };
      }),

    decryptDataKey: (keyId, ciphertext) =>
      kmsCall(keyId, async () => {
        const { Plaintext } = await client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext }));
        return required(Plaintext, 'Decrypt returned no plaintext');
      }),

    generateMac: (keyId, message) =>
      kmsCall(keyId, async () => {
        const { Mac } = await client.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
        return required(Mac, 'GenerateMac returned no MAC');
      }),
  };
}

/**
 * The key policy of a signing key created at run time. The IAM policy of the owner role allows
 * CreateKey only (a grant on existing keys would reach every key of the account), so this policy
 * is what lets the owner use the new key, and nobody else:
 * - the account root administers the key (IAM policies may delegate that) but is given no use:
 *   a broad kms:Sign on "*" elsewhere in the account does not reach it, only a deliberate
 *   change of its policy or a grant would;
 * - the owner role signs, reads the public key and state, and retires the key (disable,
 *   schedule deletion);
 * - the owner role may also replace the policy: KMS refuses a new key whose policy would not let
 *   its creator call PutKeyPolicy, and the IAM policy keeps that lockout check on.
 * Account and partition come from the role ARN, so nothing else needs configuring.
 */
function signingKeyPolicy(ownerRoleArn: string) {
  const match = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/.+$/.exec(ownerRoleArn);
  if (!match) throw new Error('configuration: KEY_OWNER_ROLE_ARN is not an IAM role ARN');
  const [, partition, account] = match;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountRootAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: [
          'kms:Create*',
          'kms:Describe*',
          'kms:Enable*',
          'kms:List*',
          'kms:Put*',
          'kms:Update*',
          'kms:Revoke*',
          'kms:Disable*',
          'kms:Get*',
          'kms:Delete*',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:ScheduleKeyDeletion',
          'kms:CancelKeyDeletion',
        ],
        Resource: '*',
      },
      {
        Sid: 'OwnerRoleUses',
        Effect: 'Allow',
        Principal: { AWS: ownerRoleArn },
        Action: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey', 'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'],
        Resource: '*',
      },
    ],
  };
}

function portKeyState(keyId: string, state: string | undefined): KeyState {
  switch (state) {
    case 'Enabled':
    case 'Disabled':
    case 'PendingDeletion':
      return state;
    case 'PendingReplicaDeletion':
      return 'PendingDeletion';
    default:
      throw new KeyInvalidStateError(keyId, state ?? 'in an unknown state');
  }
}

/** Turns KMS exceptions into the vault errors callers handle in both worlds; anything else passes through. */
async function kmsCall<T>(keyId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name;
    switch (name) {
      case 'NotFoundException':
        throw new KeyNotFoundError(keyId);
      case 'DisabledException':
        throw new KeyDisabledError(keyId);
      case 'KMSInvalidStateException':
        throw new KeyInvalidStateError(keyId, 'in a state that does not allow this operation');
      case 'InvalidKeyUsageException':
      case 'UnsupportedOperationException':
        throw new KeyUsageError(keyId, (error as Error).message);
      case 'InvalidCiphertextException':
      case 'IncorrectKeyException':
        throw new InvalidCiphertextError(keyId);
      case 'ValidationException':
        throw new KeyVaultValidationError((error as Error).message);
      default:
        throw error;
    }
  }
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}

/** the vault of a Lambda function (composition factory); KEY_OWNER_ROLE_ARN is set under a manage grant */
export const awsKeyVault = (env: NodeJS.ProcessEnv = process.env): KeyVault =>
  kmsKeyVault(new KMSClient({}), env.KEY_OWNER_ROLE_ARN ? { keyOwnerRoleArn: env.KEY_OWNER_ROLE_ARN } : {});
