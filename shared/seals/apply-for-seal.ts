import { ulid } from 'ulid';
import type { SignatureAlgorithm } from '../crypto/signature-algorithms.js';
import { forbidden, invalidField } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { wholeSeconds } from './make-seal-version.js';
import type { Seal, SealPictureInput, SealType } from './seal.js';
import { auditOf, type SealCaller } from './seal-access.js';
import { IdempotencyKeyUsedError, type SealRepository } from './seal-repository.js';
import type { SealSettings } from './seal-settings.js';

/** Finds a legal-person or organisation account by its unified social credit code. */
export interface OrganisationDirectory {
  findByUscc(uscc: string): Promise<{ readonly accountId: string; readonly name: string } | undefined>;
}

export interface SealApplication {
  readonly ownerUscc: string;
  readonly type: SealType;
  readonly name: string;
  readonly picture: SealPictureInput;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly algorithm: SignatureAlgorithm;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * Applies for a seal (GB/T 39047 §6.3.3 b).
 * 1. an Idempotency-Key used before by the caller returns the seal it created;
 * 2. the caller must be the owner organisation (its legal-person or organisation account, or a
 *    delegate with the "seals:use" scope), found by the USCC; the seal takes the account's name;
 * 3. the algorithm must be one this deployment offers, the validity must end after it starts and
 *    in the future, the picture must be a PNG;
 * 4. the application is stored as `applied` with its audit event, for the seal authority to make.
 */
export async function applyForSeal(
  deps: { seals: SealRepository; organisations: OrganisationDirectory; settings: Pick<SealSettings, 'algorithms'>; clock: Clock },
  input: { caller: SealCaller; application: SealApplication; idempotencyKey?: string },
): Promise<Seal> {
  const { principal } = input.caller;
  const { application } = input;
  if (input.idempotencyKey) {
    const earlier = await deps.seals.findByIdempotencyKey(principal.sub, input.idempotencyKey);
    if (earlier) return earlier;
  }
  if (principal.subjectType !== 'legal' && principal.subjectType !== 'organization') {
    throw forbidden('Seals are applied for by legal persons and organisations', 'not_an_organisation');
  }
  const owner = await deps.organisations.findByUscc(application.ownerUscc);
  if (!owner || owner.accountId !== principal.sub) throw forbidden('You may apply only for seals of your own organisation', 'not_seal_owner');
  const now = deps.clock.now();
  if (!deps.settings.algorithms.includes(application.algorithm)) throw invalidField('algorithm', `this platform makes ${deps.settings.algorithms.join(' or ')} seals`);
  if (application.validTo <= application.validFrom) throw invalidField('validTo', 'must be after validFrom');
  if (application.validTo <= now) throw invalidField('validTo', 'must be in the future');
  if (!PNG_SIGNATURE.every((byte, i) => application.picture.png[i] === byte)) throw invalidField('picture.png', 'must be a PNG image');

  const at = now.toISOString();
  const seal: Seal = {
    sealId: ulid(now.getTime()),
    source: 'platform',
    status: 'applied',
    statusHistory: [{ status: 'applied', at }],
    ownerUscc: application.ownerUscc,
    ownerAccountId: owner.accountId,
    ownerName: owner.name,
    type: application.type,
    name: application.name,
    algorithm: application.algorithm,
    picture: application.picture,
    validFrom: wholeSeconds(application.validFrom).toISOString(),
    validTo: wholeSeconds(application.validTo).toISOString(),
    sealVersion: 0,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  try {
    await deps.seals.commit(
      [{ seal, audit: auditOf(input.caller, { action: 'apply', to: 'applied' }, now) }],
      input.idempotencyKey ? { caller: principal.sub, key: input.idempotencyKey, now } : undefined,
    );
  } catch (error) {
    if (!(error instanceof IdempotencyKeyUsedError)) throw error;
    const earlier = await deps.seals.findByIdempotencyKey(principal.sub, input.idempotencyKey!);
    if (earlier) return earlier;
    throw error;
  }
  return seal;
}
