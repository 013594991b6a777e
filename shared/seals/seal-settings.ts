import type { SignatureAlgorithm } from '../crypto/signature-algorithms.js';

/** How the seal functions are set up for a deployment; read once per cold start. */
export interface SealSettings {
  /** key algorithms seals may use: KMS offers SM2 in the China regions only */
  readonly algorithms: readonly SignatureAlgorithm[];
  /** DER certificates of other platforms' seal CAs trusted from configuration */
  readonly trustAnchors: readonly Uint8Array[];
  /** SES_Header.vid of the seals made here */
  readonly vendorId: string;
  /** how long a function reuses the trust store it read, and a signed status page */
  readonly cacheSeconds: number;
}

const ALGORITHMS: readonly SignatureAlgorithm[] = ['SM2', 'P-256'];

/**
 * SEAL_ALGORITHMS ("SM2,P-256"; by default both locally and in the China regions, P-256 in other
 * AWS regions), SEAL_TRUST_ANCHORS (comma-separated base64 DER certificates), SEAL_VENDOR_ID,
 * SEAL_CACHE_SECONDS. Bad values fail the cold start.
 */
export function loadSealSettings(env: NodeJS.ProcessEnv = process.env): SealSettings {
  const region = env.AWS_REGION;
  const defaultAlgorithms = region && !region.startsWith('cn-') ? 'P-256' : 'SM2,P-256';
  const algorithms = (env.SEAL_ALGORITHMS || defaultAlgorithms).split(',').map((name) => name.trim());
  for (const algorithm of algorithms) {
    if (!ALGORITHMS.includes(algorithm as SignatureAlgorithm)) throw new Error(`configuration: SEAL_ALGORITHMS names unknown algorithm ${algorithm}`);
  }
  const cacheSeconds = Number(env.SEAL_CACHE_SECONDS ?? 60);
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0) throw new Error('configuration: SEAL_CACHE_SECONDS must be a whole number');
  return {
    algorithms: algorithms as SignatureAlgorithm[],
    trustAnchors: (env.SEAL_TRUST_ANCHORS ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean)
      .map((value) => Uint8Array.from(Buffer.from(value, 'base64'))),
    vendorId: env.SEAL_VENDOR_ID || 'GOVSP',
    cacheSeconds,
  };
}
