import { conflict, invalidField } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { SealRepository } from '../seals/seal-repository.js';
import type { CertificateType } from './certificate-model.js';
import type { CertificateRepository } from './certificate-repository.js';

/**
 * POST /v1/certificate-types: an administrator adds a certificate type to the catalog (GB/T 36902 style).
 * 1. the seal named must be an active seal of the issuer (422), since every certificate of the
 *    type is sealed with it;
 * 2. field names must be unique (422);
 * 3. stored once per type code (409 when taken), with the items whose approval produces it.
 */
export async function createCertificateType(
  deps: { certificates: CertificateRepository; seals: Pick<SealRepository, 'get'>; clock: Clock },
  input: Omit<CertificateType, 'createdAt' | 'itemCodes'> & { itemCodes?: readonly string[] },
): Promise<CertificateType> {
  const seal = await deps.seals.get(input.sealId);
  if (!seal || seal.ownerUscc !== input.issuerUscc || seal.status !== 'active') throw invalidField('sealId', 'must be an active seal of the issuer');
  const names = input.fields.map((field) => field.name);
  if (new Set(names).size !== names.length) throw invalidField('fields', 'names must be unique');
  const type: CertificateType = { ...input, itemCodes: input.itemCodes ?? [], createdAt: deps.clock.now().toISOString() };
  if (!(await deps.certificates.createType(type))) throw conflict('A certificate type with this code exists', 'certificate_type_exists');
  return type;
}
