import { ulid } from 'ulid';
import { keySpecOf, readPublicKey } from '../crypto/signature-algorithms.js';
import { certificateFingerprint } from '../crypto/x509.js';
import { conflict, forbidden, invalidField, notFound } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { KeyVault } from '../ports/key-vault.js';
import { ACTION_FROM, publicKeyOf, type Seal, type SealAction, type SealPictureInput, type SealStatus } from './seal.js';
import { actsForOwner, auditOf, isSealAuthority, type SealCaller } from './seal-access.js';
import { retireKey, type SealAuthority } from './seal-authority.js';
import type { SealRepository, SealWrite } from './seal-repository.js';
import type { SealSettings } from './seal-settings.js';
import { assertWithinMaker, esIdOf, makeSealVersion, wholeSeconds } from './make-seal-version.js';

export type SealActionRequest =
  | { readonly action: 'make' }
  | { readonly action: 'change'; readonly name?: string; readonly picture?: SealPictureInput }
  | { readonly action: 'report-lost'; readonly reason?: string }
  | { readonly action: 'cancel'; readonly reason?: string }
  | { readonly action: 'renew'; readonly validTo: Date }
  | { readonly action: 'replace'; readonly name?: string; readonly picture?: SealPictureInput; readonly validTo?: Date };

export interface SealActionDependencies {
  readonly seals: SealRepository;
  readonly vault: KeyVault;
  readonly authority: () => Promise<SealAuthority>;
  readonly settings: Pick<SealSettings, 'vendorId'>;
  readonly clock: Clock;
}

/**
 * One lifecycle action on a seal (GB/T 39047 §6.3.3 b, c), as a conditional state transition
 * with its audit event.
 * 1. the seal must exist and the caller may see it (404 otherwise);
 * 2. make, change, renew, replace and cancel are for the seal authority's staff; report-lost
 *    also for the owner organisation; imported seals can only be reported lost or cancelled;
 * 3. the action must be allowed from the current status (409);
 * 4. make: a new vault key for the seal, its esID, the owner certificate and the SESeal signed by
 *    the maker; change and renew: a new seal version with the same key; report-lost: suspended;
 *    cancel: revoked, the key disabled and scheduled for deletion; replace: a new seal made at
 *    once, the old one revoked and its key retired;
 * 5. everything is written in one transaction that expects the version read in step 1; keys
 *    made for a write that fails are retired again.
 */
export async function actOnSeal(deps: SealActionDependencies, input: { caller: SealCaller; sealId: string; request: SealActionRequest }): Promise<Seal> {
  const { principal } = input.caller;
  const { request } = input;
  const seal = await deps.seals.get(input.sealId);
  const authority = isSealAuthority(principal);
  if (!seal || !(authority || actsForOwner(principal, seal))) throw notFound('No such seal', 'seal_not_found');
  if (!authority && request.action !== 'report-lost') throw forbidden('Only staff of the seal authority may do this', 'not_seal_authority');
  if (seal.source === 'imported' && request.action !== 'report-lost' && request.action !== 'cancel') {
    throw conflict(`An imported seal can only be reported lost or cancelled, not ${request.action}`, 'imported_seal');
  }
  if (!ACTION_FROM[request.action].includes(seal.status)) {
    throw conflict(`A seal that is ${seal.status} cannot be ${pastTense(request.action)}`, 'illegal_transition');
  }
  const now = deps.clock.now();
  switch (request.action) {
    case 'make':
      return makeSeal(deps, input.caller, seal, now);
    case 'change':
    case 'renew':
      return newVersion(deps, input.caller, seal, request, now);
    case 'report-lost':
      return transition(deps, input.caller, seal, 'suspended', request.action, now, request.reason);
    case 'cancel': {
      const revoked = await transition(deps, input.caller, seal, 'revoked', request.action, now, request.reason);
      if (seal.keyId) await retireKey(deps.vault, seal.keyId);
      return revoked;
    }
    case 'replace':
      return replaceSeal(deps, input.caller, seal, request, now);
  }
}

async function makeSeal(deps: SealActionDependencies, caller: SealCaller, seal: Seal, now: Date): Promise<Seal> {
  const made = await newSealKeyAndVersion(deps, seal, { name: seal.name, picture: seal.picture!, validFrom: new Date(seal.validFrom), validTo: new Date(seal.validTo) }, now);
  const next: Seal = { ...seal, ...made.fields, ...statusChange(seal, 'active', now), sealVersion: 1, version: seal.version + 1 };
  await commitOrRetire(deps, made.keyId, [{ seal: next, expectedVersion: seal.version, audit: auditOf(caller, { action: 'make', from: seal.status, to: 'active' }, now), claimEsId: true, snapshot: true }]);
  return next;
}

async function newVersion(deps: SealActionDependencies, caller: SealCaller, seal: Seal, request: Extract<SealActionRequest, { action: 'change' | 'renew' }>, now: Date): Promise<Seal> {
  const name = request.action === 'change' ? (request.name ?? seal.name) : seal.name;
  const picture = request.action === 'change' ? (request.picture ?? seal.picture!) : seal.picture!;
  const validTo = request.action === 'renew' ? request.validTo : new Date(seal.validTo);
  if (validTo <= now || validTo <= new Date(seal.validFrom)) throw invalidField('validTo', 'must be in the future and after validFrom');
  const publicKey = publicKeyOf(seal);
  const version = await makeSealVersion(await deps.authority(), {
    esID: seal.esID!,
    type: seal.type as Exclude<Seal['type'], 'external'>,
    name,
    ownerName: seal.ownerName,
    ownerUscc: seal.ownerUscc,
    picture,
    validFrom: new Date(seal.validFrom),
    validTo,
    publicKey,
    vendorId: deps.settings.vendorId,
    now,
  });
  const next: Seal = {
    ...seal,
    name,
    picture,
    validTo: wholeSeconds(validTo).toISOString(),
    ...version,
    sealVersion: seal.sealVersion + 1,
    updatedAt: now.toISOString(),
    version: seal.version + 1,
  };
  await deps.seals.commit([
    { seal: next, expectedVersion: seal.version, audit: auditOf(caller, { action: request.action, from: seal.status, to: seal.status, detail: `seal version ${next.sealVersion}` }, now), snapshot: true },
  ]);
  return next;
}

async function transition(deps: SealActionDependencies, caller: SealCaller, seal: Seal, to: SealStatus, action: SealAction, now: Date, reason?: string): Promise<Seal> {
  const next: Seal = { ...seal, ...statusChange(seal, to, now), version: seal.version + 1 };
  await deps.seals.commit([{ seal: next, expectedVersion: seal.version, audit: auditOf(caller, { action, from: seal.status, to, ...(reason ? { detail: reason } : {}) }, now) }]);
  return next;
}

async function replaceSeal(deps: SealActionDependencies, caller: SealCaller, old: Seal, request: Extract<SealActionRequest, { action: 'replace' }>, now: Date): Promise<Seal> {
  const validTo = request.validTo ?? new Date(old.validTo);
  if (validTo <= now) throw invalidField('validTo', 'must be in the future');
  const validFrom = new Date(Math.max(now.getTime(), new Date(old.validFrom).getTime()));
  const base: Seal = {
    ...old,
    sealId: ulid(now.getTime()),
    status: 'applied',
    statusHistory: [],
    replaces: old.sealId,
    replacedBy: undefined,
    name: request.name ?? old.name,
    picture: request.picture ?? old.picture!,
    validFrom: wholeSeconds(validFrom).toISOString(),
    validTo: wholeSeconds(validTo).toISOString(),
    createdAt: now.toISOString(),
  };
  const made = await newSealKeyAndVersion(deps, base, { name: base.name, picture: base.picture!, validFrom, validTo }, now);
  const replacement: Seal = { ...base, ...made.fields, ...statusChange(base, 'active', now), sealVersion: 1, version: 1 };
  const retired: Seal = { ...old, ...statusChange(old, 'revoked', now), replacedBy: replacement.sealId, version: old.version + 1 };
  await commitOrRetire(deps, made.keyId, [
    { seal: replacement, audit: auditOf(caller, { action: 'replace', to: 'active', detail: `replaces ${old.sealId}` }, now), claimEsId: true, snapshot: true },
    { seal: retired, expectedVersion: old.version, audit: auditOf(caller, { action: 'replace', from: old.status, to: 'revoked', detail: `replaced by ${replacement.sealId}` }, now) },
  ]);
  if (old.keyId) await retireKey(deps.vault, old.keyId);
  return replacement;
}

/** a new vault key, esID and first seal version for a seal being made */
async function newSealKeyAndVersion(
  deps: SealActionDependencies,
  seal: Seal,
  content: { name: string; picture: SealPictureInput; validFrom: Date; validTo: Date },
  now: Date,
): Promise<{ keyId: string; fields: Pick<Seal, 'keyId' | 'esID' | 'certificate' | 'esl' | 'makerFingerprint' | 'updatedAt'> }> {
  const authority = await deps.authority();
  assertWithinMaker(authority, content.validTo);
  const esID = esIdOf(seal.ownerUscc, await deps.seals.nextSerial(`esid:${seal.ownerUscc.slice(2, 8)}`));
  const key = await deps.vault.createSigningKey({ spec: keySpecOf(seal.algorithm), description: `electronic seal ${esID}`, sharedWithKeyUsers: true });
  try {
    const publicKey = readPublicKey((await deps.vault.getPublicKey(key.keyId)).spki);
    const version = await makeSealVersion(authority, {
      esID,
      type: seal.type as Exclude<Seal['type'], 'external'>,
      name: content.name,
      ownerName: seal.ownerName,
      ownerUscc: seal.ownerUscc,
      picture: content.picture,
      validFrom: content.validFrom,
      validTo: content.validTo,
      publicKey,
      vendorId: deps.settings.vendorId,
      now,
    });
    return {
      keyId: key.keyId,
      fields: { keyId: key.keyId, esID, ...version, makerFingerprint: certificateFingerprint(authority.record.makerCertificate), updatedAt: now.toISOString() },
    };
  } catch (error) {
    await retireKey(deps.vault, key.keyId);
    throw error;
  }
}

async function commitOrRetire(deps: SealActionDependencies, newKeyId: string, writes: readonly SealWrite[]): Promise<void> {
  try {
    await deps.seals.commit(writes);
  } catch (error) {
    await retireKey(deps.vault, newKeyId);
    throw error;
  }
}

function statusChange(seal: Seal, status: SealStatus, now: Date): Pick<Seal, 'status' | 'statusHistory' | 'updatedAt'> {
  const at = now.toISOString();
  return { status, statusHistory: [...seal.statusHistory, { status, at }], updatedAt: at };
}

function pastTense(action: SealAction): string {
  return { make: 'made', change: 'changed', 'report-lost': 'reported lost', cancel: 'cancelled', renew: 'renewed', replace: 'replaced' }[action];
}
