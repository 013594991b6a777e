import { hashAlgorithmOf, hashData, signatureAlgorithmOid, vaultSigner, type HashAlgorithm } from '../crypto/signature-algorithms.js';
import { conflict, invalidField, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import { wholeSeconds } from './make-seal-version.js';
import { publicKeyOf } from './seal.js';
import { actsForOwner, type SealCaller } from './seal-access.js';
import type { SealRepository } from './seal-repository.js';
import { assembleSignatureV4, encodeTbsSignV4 } from './ses-signature.js';

export interface SigningRequest {
  /** the document itself, hashed here */
  readonly document?: Uint8Array;
  /** or its hash, computed by the caller */
  readonly documentHash?: Uint8Array;
  /** SM3 for SM2 seals, SHA-256 for P-256 seals; the seal's own when absent */
  readonly hashAlgorithm?: HashAlgorithm;
  /** what is signed (GB/T 38540 propertyInfo), e.g. the path of an OFD Signature.xml */
  readonly propertyInfo: string;
}

/**
 * Signs with a seal (GB/T 39047 §6.3.3 e); the key never leaves the vault.
 * 1. the seal must exist and the caller must be its owner organisation (or a delegate for seals);
 * 2. the seal must be active and inside its validity (409 otherwise);
 * 3. dataHash: the document hashed with the seal's hash (SM3 with SM2), or the hash given;
 * 4. TBS_Sign v4: version 4, the seal's SESeal, timeInfo now, dataHash, propertyInfo;
 * 5. the digest (SM3(ZA || TBS_Sign) for SM2, SHA-256 for P-256) is computed here and the vault
 *    signs it (KMS Sign with MessageType DIGEST: a TBS_Sign with its picture exceeds the 4 KB of RAW);
 * 6. SES_Signature with the owner certificate; the use is logged.
 */
export async function signWithSeal(
  deps: { seals: SealRepository; vault: KeyVault; clock: Clock },
  input: { caller: SealCaller; sealId: string; request: SigningRequest },
): Promise<{ signature: Uint8Array; signedAt: Date }> {
  const seal = await deps.seals.get(input.sealId);
  if (!seal || !actsForOwner(input.caller.principal, seal)) throw notFound('No such seal of your organisation', 'seal_not_found');
  const now = wholeSeconds(deps.clock.now());
  if (seal.status !== 'active') throw conflict(`The seal is ${seal.status === 'suspended' ? 'reported lost' : seal.status} and cannot sign`, `seal_${seal.status}`);
  if (now < new Date(seal.validFrom)) throw conflict('The seal is not valid yet', 'seal_not_yet_valid');
  if (now > new Date(seal.validTo)) throw conflict('The seal has expired', 'seal_expired');

  const hashAlgorithm = hashAlgorithmOf(seal.algorithm);
  const { request } = input;
  if (request.hashAlgorithm && request.hashAlgorithm !== hashAlgorithm) throw invalidField('hashAlgorithm', `a ${seal.algorithm} seal signs ${hashAlgorithm} hashes`);
  const dataHash = request.document ? hashData(hashAlgorithm, request.document) : request.documentHash;
  if (!dataHash || dataHash.length !== 32) throw invalidField('documentHash', 'give the document, or its 32-byte hash');

  const tbs = encodeTbsSignV4({ seal: seal.esl!, timeInfo: now, dataHash, propertyInfo: request.propertyInfo });
  const signer = vaultSigner(deps.vault, seal.keyId!, publicKeyOf(seal));
  const signatureValue = await signer.sign(tbs);
  const signature = assembleSignatureV4(tbs, seal.certificate!, signatureAlgorithmOid(seal.algorithm), signatureValue);
  const { principal } = input.caller;
  await deps.seals.recordUse({
    sealId: seal.sealId,
    esID: seal.esID!,
    signedAt: now.toISOString(),
    dataHash: Buffer.from(dataHash).toString('hex'),
    propertyInfo: request.propertyInfo,
    actor: principal.actor?.sub ?? principal.sub,
    ...(principal.actor ? { onBehalfOf: principal.sub } : {}),
  });
  return { signature, signedAt: now };
}
