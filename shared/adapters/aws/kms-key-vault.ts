import type { Clock } from '../../ports/clock.js';
import type { KeyState, KeyVault, SigningKeySpec } from '../../ports/key-vault.js';
import { required as requiredSetting } from '../../config.js';
import {
  InvalidCiphertextError,
  KeyDisabledError,
  KeyInvalidStateError,
  KeyNotFoundError,
  KeyUsageError,
  KeyVaultValidationError,
} from '../key-vault-errors.js';
import { awsJsonService, AwsServiceError } from './aws-json-service.js';
import type { CredentialsProvider } from './signed-fetch.js';

const signingAlgorithms: Record<SigningKeySpec, string> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  // SM2 keys exist in the China regions only
  SM2: 'SM2DSA',
};

export interface KmsKeyVaultOptions {
  readonly region: string;
  /**
   * The role that uses the signing keys this vault creates (KEY_OWNER_ROLE_ARN, set by the stack
   * under a manage grant); without it the vault creates no keys.
   */
  readonly keyOwnerRoleArn?: string;
  /**
   * Roles that may sign with the keys created `sharedWithKeyUsers` (KEY_USER_ROLE_ARNS, set by the
   * stack on the function with the `runtimeSigningKeys: 'manage'` grant: the roles granted 'sign').
   */
  readonly keyUserRoleArns?: readonly string[];
  /** the Lambda role's by default (lambdaCredentials); tests inject fetch, credentials and a clock */
  readonly credentials?: CredentialsProvider;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
}

/** the fields of the KMS answers this vault reads; binary fields are base64 in JSON */
interface KeyMetadataOutput {
  readonly KeyMetadata?: { readonly KeyId?: string; readonly KeySpec?: string; readonly KeyState?: string };
}
interface SignOutput {
  readonly Signature?: string;
}
interface GetPublicKeyOutput {
  readonly KeyId?: string;
  readonly KeySpec?: string;
  readonly PublicKey?: string;
}
interface DataKeyOutput {
  readonly Plaintext?: string;
  readonly CiphertextBlob?: string;
}
interface GenerateMacOutput {
  readonly Mac?: string;
}

/**
 * The key vault on AWS KMS, spoken over signed fetch (AWS JSON 1.1, binary fields base64).
 * Signing always sends `MessageType: DIGEST`, because RAW messages are capped at 4 KiB and a
 * seal's TBS data is larger; the caller hashes (SHA-256, or SM3(ZA || M) for SM2). A key's spec
 * never changes, so it is looked up once per key and container. Signing keys it creates get the
 * key policy of `signingKeyPolicy`.
 */
export function kmsKeyVault(options: KmsKeyVaultOptions): KeyVault {
  const { keyOwnerRoleArn, keyUserRoleArns, ...connection } = options;
  const kms = awsJsonService({ service: 'kms', targetPrefix: 'TrentService', jsonVersion: '1.1', ...connection });
  const specs = new Map<string, SigningKeySpec>();

  async function specOf(keyId: string): Promise<SigningKeySpec> {
    const known = specs.get(keyId);
    if (known) return known;
    const { KeyMetadata } = await kms<KeyMetadataOutput>('DescribeKey', { KeyId: keyId });
    const spec = KeyMetadata?.KeySpec;
    if (spec !== 'ECC_NIST_P256' && spec !== 'SM2') throw new KeyUsageError(keyId, `a ${spec} key cannot sign digests here`);
    specs.set(keyId, spec);
    return spec;
  }

  return {
    createSigningKey: ({ spec, description, sharedWithKeyUsers = false }) =>
      kmsCall('new key', async () => {
        if (!keyOwnerRoleArn) throw new Error('configuration: KEY_OWNER_ROLE_ARN is not set');
        if (sharedWithKeyUsers && !keyUserRoleArns?.length) throw new Error('configuration: KEY_USER_ROLE_ARNS is not set');
        const Policy = JSON.stringify(signingKeyPolicy(keyOwnerRoleArn, sharedWithKeyUsers ? (keyUserRoleArns ?? []) : []));
        const { KeyMetadata } = await kms<KeyMetadataOutput>('CreateKey', { KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Description: description, Policy });
        const keyId = required(KeyMetadata?.KeyId, 'CreateKey returned no KeyId');
        specs.set(keyId, spec);
        return { keyId, spec };
      }),

    signDigest: (keyId, digest) =>
      kmsCall(keyId, async () => {
        const spec = await specOf(keyId);
        const { Signature } = await kms<SignOutput>('Sign', {
          KeyId: keyId,
          Message: toBase64(digest),
          MessageType: 'DIGEST',
          SigningAlgorithm: signingAlgorithms[spec],
        });
        return fromBase64(required(Signature, 'Sign returned no signature'));
      }),

    getPublicKey: (keyId) =>
      kmsCall(keyId, async () => {
        const { KeyId, KeySpec, PublicKey } = await kms<GetPublicKeyOutput>('GetPublicKey', { KeyId: keyId });
        if (KeySpec !== 'ECC_NIST_P256' && KeySpec !== 'SM2') throw new KeyUsageError(keyId, `a ${KeySpec} key is not a signing key here`);
        return { keyId: KeyId ?? keyId, spec: KeySpec, spki: fromBase64(required(PublicKey, 'GetPublicKey returned no key')) };
      }),

    disableKey: (keyId) =>
      kmsCall(keyId, async () => {
        await kms('DisableKey', { KeyId: keyId });
      }),

    scheduleKeyDeletion: (keyId, pendingWindowDays) =>
      kmsCall(keyId, async () => {
        await kms('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: pendingWindowDays });
      }),

    keyState: (keyId) =>
      kmsCall(keyId, async () => {
        const { KeyMetadata } = await kms<KeyMetadataOutput>('DescribeKey', { KeyId: keyId });
        return portKeyState(keyId, KeyMetadata?.KeyState);
      }),

    generateDataKey: (keyId) =>
      kmsCall(keyId, async () => {
        const { Plaintext, CiphertextBlob } = await kms<DataKeyOutput>('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
        return {
          plaintext: fromBase64(required(Plaintext, 'GenerateDataKey returned no plaintext')),
          ciphertext: fromBase64(required(CiphertextBlob, 'GenerateDataKey returned no ciphertext')),
        };
      }),

    decryptDataKey: (keyId, ciphertext) =>
      kmsCall(keyId, async () => {
        const { Plaintext } = await kms<DataKeyOutput>('Decrypt', { KeyId: keyId, CiphertextBlob: toBase64(ciphertext) });
        return fromBase64(required(Plaintext, 'Decrypt returned no plaintext'));
      }),

    generateMac: (keyId, message) =>
      kmsCall(keyId, async () => {
        const { Mac } = await kms<GenerateMacOutput>('GenerateMac', { KeyId: keyId, Message: toBase64(message), MacAlgorithm: 'HMAC_SHA_256' });
        return fromBase64(required(Mac, 'GenerateMac returned no MAC'));
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
 * - key user roles, for keys shared with them, sign and read the public key and state, nothing more.
 * Account and partition come from the role ARN, so nothing else needs configuring.
 */
function signingKeyPolicy(ownerRoleArn: string, userRoleArns: readonly string[]) {
  const match = ROLE_ARN.exec(ownerRoleArn);
  if (!match) throw new Error('configuration: KEY_OWNER_ROLE_ARN is not an IAM role ARN');
  if (userRoleArns.some((arn) => !ROLE_ARN.test(arn))) throw new Error('configuration: KEY_USER_ROLE_ARNS holds something other than IAM role ARNs');
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
      ...(userRoleArns.length > 0
        ? [{ Sid: 'KeyUsersSign', Effect: 'Allow', Principal: { AWS: [...userRoleArns] }, Action: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'], Resource: '*' }]
        : []),
    ],
  };
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/.+$/;

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

/** Turns KMS error answers into the vault errors callers handle in both worlds; anything else passes through. */
async function kmsCall<T>(keyId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    const message = error.serviceMessage ?? error.message;
    switch (error.code) {
      case 'NotFoundException':
        throw new KeyNotFoundError(keyId);
      case 'DisabledException':
        throw new KeyDisabledError(keyId);
      case 'KMSInvalidStateException':
        throw new KeyInvalidStateError(keyId, 'in a state that does not allow this operation');
      case 'InvalidKeyUsageException':
      case 'UnsupportedOperationException':
        throw new KeyUsageError(keyId, message);
      case 'InvalidCiphertextException':
      case 'IncorrectKeyException':
        throw new InvalidCiphertextError(keyId);
      case 'ValidationException':
        throw new KeyVaultValidationError(message);
      default:
        throw error;
    }
  }
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

/** the vault of a Lambda function (composition factory); KEY_OWNER_ROLE_ARN and KEY_USER_ROLE_ARNS are set under a manage grant */
export const awsKeyVault = (env: NodeJS.ProcessEnv = process.env): KeyVault =>
  kmsKeyVault({
    region: requiredSetting(env, 'AWS_REGION'),
    ...(env.KEY_OWNER_ROLE_ARN ? { keyOwnerRoleArn: env.KEY_OWNER_ROLE_ARN } : {}),
    ...(env.KEY_USER_ROLE_ARNS ? { keyUserRoleArns: env.KEY_USER_ROLE_ARNS.split(',').filter(Boolean) } : {}),
  });
