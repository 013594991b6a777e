import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tables as manifestTables } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { createLocalKeyVault } from '../../shared/adapters/local/local-key-vault.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import type { Principal } from '../../shared/auth/principal.js';
import { AppError } from '../../shared/errors.js';
import type { KeyVault } from '../../shared/ports/key-vault.js';
import type { Tables } from '../../shared/ports/tables.js';
import { actOnSeal } from '../../shared/seals/act-on-seal.js';
import { applyForSeal } from '../../shared/seals/apply-for-seal.js';
import type { Seal } from '../../shared/seals/seal.js';
import { cachedSealAuthority, initialiseSealAuthority, sealAuthorityRepository } from '../../shared/seals/seal-authority.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { signedStatusPage } from '../../shared/seals/seal-status-list.js';
import { signWithSeal } from '../../shared/seals/sign-with-seal.js';
import { trustStoreLoader } from '../../shared/seals/trust-store.js';
import { verifySealSignature } from '../../shared/seals/verify-seal-signature.js';
import { ManualClock } from '../support/manual-clock.js';
import { FIXTURE_PNG } from '../support/seal-fixtures.js';

const USCC = '91330106MA2B3C4D5D';
const DAY = 24 * 3600;
const owner: Principal = { sub: 'org-1', subjectType: 'legal', level: 3, roles: [], amr: ['pwd'] };
const staff: Principal = { sub: 'staff-1', subjectType: 'staff', level: 3, roles: ['staff', 'seal-authority'], agency: 'seal-authority', amr: ['pwd'] };

let dynamo: EmbeddedDynamo;
let tables: Tables;
let vaultDir: string;
let vault: KeyVault;
const createdKeys: string[] = [];
const clock = new ManualClock('2030-01-01T08:00:00Z');

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({});
  tables = localTables(dynamo.documentClient, 'seal-lifecycle-');
  await ensureTables(dynamo.client, [{ tableName: tables.name('seals'), spec: manifestTables.seals }]);
  vaultDir = await mkdtemp(join(tmpdir(), 'seal-vault-'));
  const local = createLocalKeyVault({ dir: vaultDir, clock });
  vault = {
    ...local,
    createSigningKey: async (input) => {
      const key = await local.createSigningKey(input);
      createdKeys.push(key.keyId);
      return key;
    },
  };
  await initialiseSealAuthority({ vault, authorities: sealAuthorityRepository(tables), clock }, { algorithm: 'SM2', name: '测试电子印章中心' });
});
afterAll(async () => {
  await dynamo?.close();
  await rm(vaultDir, { recursive: true, force: true });
});

function world() {
  const seals = sealRepository(tables);
  const authorities = sealAuthorityRepository(tables);
  const authority = cachedSealAuthority({ vault, authorities });
  const trust = trustStoreLoader({ authorities, configuredAnchors: [], clock, cacheSeconds: 0 });
  return {
    seals,
    authority,
    lifecycle: { seals, vault, authority, settings: { vendorId: 'GOVSP' }, clock },
    verification: { trust: trust.load, seals, clock },
    signing: { seals, vault, clock },
  };
}

async function activeSeal(validDays = 365): Promise<Seal> {
  const { seals, lifecycle } = world();
  const applied = await applyForSeal(
    { seals, organisations: { findByUscc: async (uscc) => (uscc === USCC ? { accountId: 'org-1', name: '示例科技有限公司' } : undefined) }, settings: { algorithms: ['SM2', 'P-256'] }, clock },
    {
      caller: { principal: owner },
      application: { ownerUscc: USCC, type: 'official', name: '示例科技有限公司', picture: { png: FIXTURE_PNG, widthMm: 40, heightMm: 40 }, validFrom: clock.now(), validTo: new Date(clock.now().getTime() + validDays * DAY * 1000), algorithm: 'SM2' },
    },
  );
  return actOnSeal(lifecycle, { caller: { principal: staff }, sealId: applied.sealId, request: { action: 'make' } });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('seal lifecycle against the local vault and the embedded tables', () => {
  it('makes a seal once under concurrent makes, and retires the key of the loser', async () => {
    const { seals, lifecycle } = world();
    const applied = await applyForSeal(
      { seals, organisations: { findByUscc: async () => ({ accountId: 'org-1', name: '示例科技有限公司' }) }, settings: { algorithms: ['SM2'] }, clock },
      { caller: { principal: owner }, application: { ownerUscc: USCC, type: 'finance', name: '财务专用章', picture: { png: FIXTURE_PNG, widthMm: 38, heightMm: 38 }, validFrom: clock.now(), validTo: new Date(clock.now().getTime() + 100 * DAY * 1000), algorithm: 'SM2' } },
    );
    const before = createdKeys.length;
    const results = await Promise.allSettled([1, 2].map(() => actOnSeal(lifecycle, { caller: { principal: staff }, sealId: applied.sealId, request: { action: 'make' } })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AppError).code).toMatch(/stale_version|illegal_transition/);
    const made = (await seals.get(applied.sealId))!;
    const keys = createdKeys.slice(before);
    for (const keyId of keys) expect(await vault.keyState(keyId)).toBe(keyId === made.keyId ? 'Enabled' : 'PendingDeletion');
  });

  it('refuses a seal lasting longer than the maker certificate', async () => {
    const error = await rejection(activeSeal(365 * 11));
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(error.details)).toContain('validTo');
  });

  it('flags a signature whose signing time lies after the revocation, and keeps earlier ones valid', async () => {
    const seal = await activeSeal();
    const { lifecycle, signing, verification, seals } = world();
    const document = Buffer.from('采购合同');
    const sign = () => signWithSeal(signing, { caller: { principal: owner }, sealId: seal.sealId, request: { document, propertyInfo: 'contract.ofd' } });
    clock.advance(DAY);
    const early = await sign();
    // a signature that claims a later time, made while the seal was still usable
    clock.advance(2 * DAY);
    const late = await sign();
    clock.advance(-DAY);
    await actOnSeal(lifecycle, { caller: { principal: staff }, sealId: seal.sealId, request: { action: 'cancel', reason: '营业执照吊销' } });
    clock.advance(5 * DAY);

    const earlyReport = await verifySealSignature(verification, { signature: early.signature, document });
    expect(earlyReport).toMatchObject({ valid: true, sealStatus: 'revoked' });
    const lateReport = await verifySealSignature(verification, { signature: late.signature, document });
    expect(lateReport.valid).toBe(false);
    expect(lateReport.checks.sealValid).toEqual({ ok: false, reason: 'revoked' });

    const refused = await rejection(sign());
    expect(refused.code).toBe('seal_revoked');
    expect(await vault.keyState((await seals.get(seal.sealId))!.keyId!)).toBe('PendingDeletion');
    const trail = await seals.auditTrail(seal.sealId);
    expect(trail.map((event) => [event.action, event.to, event.actor])).toEqual([
      ['apply', 'applied', 'org-1'],
      ['make', 'active', 'staff-1'],
      ['cancel', 'revoked', 'staff-1'],
    ]);
  });

  it('lets a delegate sign for the organisation only under a delegation that covers seals', async () => {
    const seal = await activeSeal();
    const { signing } = world();
    const delegate = (scope: string[]): Principal => ({ ...owner, actor: { sub: 'person-7' }, delegation: { id: 'd-1', itemCodes: [], scope } });
    const request = { documentHash: new Uint8Array(32).fill(1), propertyInfo: 'x' };
    const signed = await signWithSeal(signing, { caller: { principal: delegate(['seals:use']) }, sealId: seal.sealId, request });
    expect(signed.signature.length).toBeGreaterThan(1000);
    expect((await rejection(signWithSeal(signing, { caller: { principal: delegate(['cases:submit']) }, sealId: seal.sealId, request }))).code).toBe('seal_not_found');
  });

  it('publishes an expired seal as expired from the end of its validity, and stops signing with it', async () => {
    const seal = await activeSeal(10);
    const { seals, authority, signing } = world();
    clock.advance(11 * DAY);
    const page = await signedStatusPage({ seals, authority, clock, issuer: 'https://gov.example' }, { size: 500 });
    expect(page.items.find((item) => item.sealId === seal.sealId)).toEqual({ sealId: seal.sealId, esID: seal.esID, status: 'expired', changedAt: seal.validTo });
    expect((await rejection(signWithSeal(signing, { caller: { principal: owner }, sealId: seal.sealId, request: { documentHash: new Uint8Array(32), propertyInfo: 'x' } }))).code).toBe('seal_expired');
  });

  it('reports a lost seal: the owner may, signing stops, and only the authority may replace it', async () => {
    const seal = await activeSeal();
    const { lifecycle } = world();
    const lost = await actOnSeal(lifecycle, { caller: { principal: owner }, sealId: seal.sealId, request: { action: 'report-lost' } });
    expect(lost.status).toBe('suspended');
    expect((await rejection(actOnSeal(lifecycle, { caller: { principal: owner }, sealId: seal.sealId, request: { action: 'replace' } }))).code).toBe('not_seal_authority');
    expect((await rejection(actOnSeal(lifecycle, { caller: { principal: staff }, sealId: seal.sealId, request: { action: 'report-lost' } }))).code).toBe('illegal_transition');
    const replacement = await actOnSeal(lifecycle, { caller: { principal: staff }, sealId: seal.sealId, request: { action: 'replace', name: '示例科技有限公司（新）' } });
    expect(replacement).toMatchObject({ status: 'active', replaces: seal.sealId, name: '示例科技有限公司（新）', sealVersion: 1 });
  });
});
