import { ulid } from 'ulid';
import { signatureAlgorithmOf, verifySignature } from '../crypto/signature-algorithms.js';
import { certificateFingerprint, parseCertificate } from '../crypto/x509.js';
import { AppError, invalidField } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Seal } from './seal.js';
import { auditOf, type SealCaller } from './seal-access.js';
import type { SealRepository } from './seal-repository.js';
import { decodeSeal } from './ses-seal.js';
import { validateCertificateAt, type TrustStore } from './trust-store.js';
import { formatProblem } from './verify-seal-signature.js';

/**
 * Registers another platform's seal (v4 or v1 DER) so that verification reports its status and
 * the seal authority can track loss and cancellation (GB/T 39047 §6.3.3 e).
 * 1. the seal must parse with a valid header and known algorithms (422);
 * 2. the maker's signature over the seal must verify with the maker certificate in it (422);
 * 3. the maker certificate must have been valid when the seal was made and chain to a trusted
 *    anchor (422 untrusted_issuer: accept the other platform's CA first);
 * 4. it is stored as active under its esID (409 when that esID is registered already).
 */
export async function importSeal(deps: { seals: SealRepository; trust: () => Promise<TrustStore>; clock: Clock }, input: { caller: SealCaller; esl: Uint8Array; ownerUscc?: string }): Promise<Seal> {
  let decoded;
  try {
    decoded = decodeSeal(input.esl);
  } catch (error) {
    throw invalidField('seal', `is not an electronic seal: ${(error as Error).message}`);
  }
  const problem = formatProblem(decoded);
  if (problem) throw invalidField('seal', problem);
  const maker = parseCertificate(decoded.makerCertificate);
  const algorithm = signatureAlgorithmOf(decoded.signatureAlgorithm)!;
  if (!maker.publicKey || maker.publicKey.algorithm !== algorithm || !verifySignature(maker.publicKey, decoded.signedBytes, decoded.signature)) {
    throw invalidField('seal', "the maker's signature over the seal does not verify");
  }
  const { property } = decoded.info;
  const chain = validateCertificateAt(maker, property.createDate, await deps.trust());
  if (!chain.ok) {
    throw new AppError('invalid', chain.reason === 'untrusted-issuer' ? 'untrusted_issuer' : `maker_certificate_${chain.reason.replace(/-/g, '_')}`, `The seal maker's certificate is not trusted (${chain.reason}); accept its CA as a trust anchor first`);
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const ownerCertificate = property.certList.kind === 'certs' ? property.certList.certificates[0] : undefined;
  const seal: Seal = {
    sealId: ulid(now.getTime()),
    source: 'imported',
    status: 'active',
    statusHistory: [{ status: 'active', at }],
    ownerUscc: input.ownerUscc ?? '',
    ownerName: ownerCertificate ? parseCertificate(ownerCertificate).subject.text : '',
    type: 'external',
    name: property.name,
    algorithm,
    validFrom: property.validStart.toISOString(),
    validTo: property.validEnd.toISOString(),
    esID: decoded.info.esID,
    ...(ownerCertificate ? { certificate: ownerCertificate } : {}),
    esl: decoded.der,
    makerFingerprint: certificateFingerprint(decoded.makerCertificate),
    sealVersion: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.seals.commit([{ seal, audit: auditOf(input.caller, { action: 'import', to: 'active', detail: `v${decoded.version} seal from ${maker.subject.text}` }, now), claimEsId: true }]);
  return seal;
}
