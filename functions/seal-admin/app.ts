import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { notFound } from '../../shared/errors.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { lookupHasher } from '../../shared/privacy/personal-data.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { actOnSeal, type SealActionRequest } from '../../shared/seals/act-on-seal.js';
import { applyForSeal, type OrganisationDirectory } from '../../shared/seals/apply-for-seal.js';
import { checkConformance } from '../../shared/seals/check-conformance.js';
import { importSeal } from '../../shared/seals/import-seal.js';
import { actsForOwner, isSealAuthority, type SealCaller } from '../../shared/seals/seal-access.js';
import { cachedSealAuthority, initialiseSealAuthority, sealAuthorityRepository } from '../../shared/seals/seal-authority.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { loadSealSettings, type SealSettings } from '../../shared/seals/seal-settings.js';
import { signedStatusPage, type SignedStatusPage } from '../../shared/seals/seal-status-list.js';
import { addTrustAnchor, trustList } from '../../shared/seals/seal-trust.js';
import { sealView } from '../../shared/seals/seal-view.js';
import { trustStoreLoader } from '../../shared/seals/trust-store.js';
import { sealAdminSchemas } from './schemas.js';
import { sealAdminFunction } from '../../infra/manifest.js';

/** Seal CA, trust list, seal lifecycle, status publication, import and access tests (GB/T 39047 §6.3.3 a–d). */
export type SealAdminDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault'>;

const DEFAULT_STATUS_PAGE_SIZE = 100;
/** signed pages kept per container; cursors are many, pages few that anyone reads */
const STATUS_PAGES_KEPT = 64;

export function createHandler(deps: SealAdminDependencies, settings: SealSettings = loadSealSettings()): ApiHandler {
  const seals = sealRepository(deps.tables);
  const authorities = sealAuthorityRepository(deps.tables);
  const authority = cachedSealAuthority({ vault: deps.vault, authorities });
  const trust = trustStoreLoader({ authorities, configuredAnchors: settings.trustAnchors, clock: deps.clock, cacheSeconds: settings.cacheSeconds });
  const organisations = organisationDirectory(deps);
  const lifecycle = { seals, vault: deps.vault, authority, settings, clock: deps.clock };
  // anonymous and each signed through the vault: pages are kept a while so that polling relying
  // parties cannot spend the KMS request quota
  const statusPages = new Map<string, { page: SignedStatusPage; until: number }>();

  return createApiHandler(sealAdminFunction, sealAdminSchemas, deps, {
    initialiseSealAuthority: async ({ body }) => {
      const record = await initialiseSealAuthority({ vault: deps.vault, authorities, clock: deps.clock }, body);
      return {
        body: { algorithm: record.algorithm, name: record.name, root: base64(record.rootCertificate), maker: base64(record.makerCertificate), createdAt: record.createdAt },
      };
    },
    getSealTrust: async () => ({
      body: await trustList({ authority, authorities, configuredAnchors: settings.trustAnchors }),
      headers: { 'cache-control': `public, max-age=${settings.cacheSeconds}` },
    }),
    addSealTrustAnchor: async (request) => {
      const anchor = await addTrustAnchor({ authorities, clock: deps.clock }, { caller: callerOf(request), certificate: bytes(request.body.certificate) });
      trust.forget();
      return { body: { fingerprint: anchor.fingerprint, subject: anchor.subject, addedAt: anchor.addedAt } };
    },
    applyForSeal: async (request) => {
      const { body } = request;
      const idempotencyKey = request.headers['idempotency-key'];
      const seal = await applyForSeal(
        { seals, organisations, settings, clock: deps.clock },
        {
          caller: callerOf(request),
          application: {
            ...body,
            picture: { ...body.picture, png: bytes(body.picture.png) },
            validFrom: new Date(body.validFrom),
            validTo: new Date(body.validTo),
          },
          ...(idempotencyKey ? { idempotencyKey: idempotencyKey.slice(0, 128) } : {}),
        },
      );
      return { body: sealView(seal, deps.clock.now()) };
    },
    importSeal: async (request) => {
      const seal = await importSeal(
        { seals, trust: trust.load, clock: deps.clock },
        { caller: callerOf(request), esl: bytes(request.body.seal), ...(request.body.ownerUscc ? { ownerUscc: request.body.ownerUscc } : {}) },
      );
      return { body: sealView(seal, deps.clock.now()) };
    },
    getSeal: async (request) => ({ body: sealView(await visibleSeal(request.params.id, callerOf(request)), deps.clock.now()) }),
    getSealEsl: async (request) => {
      const seal = await visibleSeal(request.params.id, callerOf(request));
      if (!seal.esl) throw notFound('The seal is not made yet', 'seal_not_made');
      return { raw: seal.esl, contentType: 'application/octet-stream', headers: { 'content-disposition': `attachment; filename="${seal.esID}.esl"` } };
    },
    actOnSeal: async (request) => {
      const seal = await actOnSeal(lifecycle, { caller: callerOf(request), sealId: request.params.id, request: actionRequest(request.body) });
      return { body: sealView(seal, deps.clock.now()) };
    },
    getSealStatusList: async ({ query }) => {
      const size = query.size ?? DEFAULT_STATUS_PAGE_SIZE;
      const key = `${query.cursor ?? ''}:${size}`;
      const now = deps.clock.now().getTime();
      let cached = statusPages.get(key);
      if (!cached || cached.until <= now) {
        const page = await signedStatusPage({ seals, authority, clock: deps.clock, issuer: deps.config.issuer }, { size, ...(query.cursor ? { cursor: query.cursor } : {}) });
        cached = { page, until: now + settings.cacheSeconds * 1000 };
        statusPages.delete(key);
        if (statusPages.size >= STATUS_PAGES_KEPT) statusPages.delete(statusPages.keys().next().value!);
        statusPages.set(key, cached);
      }
      return { body: cached.page, headers: { 'cache-control': `public, max-age=${settings.cacheSeconds}` } };
    },
    testSealConformance: async ({ body }) => ({
      body: checkConformance({ ...(body.seal ? { seal: bytes(body.seal) } : {}), ...(body.signature ? { signature: bytes(body.signature) } : {}) }, await trust.load()),
    }),
  });

  /** the seal, for its owner organisation and the seal authority; 404 for everyone else */
  async function visibleSeal(sealId: string, caller: SealCaller) {
    const seal = await seals.get(sealId);
    if (!seal || !(isSealAuthority(caller.principal) || actsForOwner(caller.principal, seal))) throw notFound('No such seal', 'seal_not_found');
    return seal;
  }
}

/** Legal-person and organisation accounts found by the lookup hash of their USCC in the identity table. */
function organisationDirectory(deps: SealAdminDependencies): OrganisationDirectory {
  const accounts = accountRepository(deps.tables);
  const lookupHash = lookupHasher({ vault: deps.vault, lookupKeyId: deps.keyIds.lookupHash });
  return {
    async findByUscc(uscc) {
      const account = await accounts.findByClaim({ kind: 'uscc', hash: await lookupHash('uscc', uscc) });
      if (!account || account.status !== 'active' || (account.subjectType !== 'legal' && account.subjectType !== 'organization')) return undefined;
      return { accountId: account.accountId, name: account.name };
    },
  };
}

type ActionBody = (typeof sealAdminSchemas.actOnSeal.body)['_zod']['output'];

function actionRequest(body: ActionBody): SealActionRequest {
  switch (body.action) {
    case 'change':
      return { action: 'change', ...(body.name ? { name: body.name } : {}), ...(body.picture ? { picture: { ...body.picture, png: bytes(body.picture.png) } } : {}) };
    case 'renew':
      return { action: 'renew', validTo: new Date(body.validTo) };
    case 'replace':
      return {
        action: 'replace',
        ...(body.name ? { name: body.name } : {}),
        ...(body.picture ? { picture: { ...body.picture, png: bytes(body.picture.png) } } : {}),
        ...(body.validTo ? { validTo: new Date(body.validTo) } : {}),
      };
    default:
      return body;
  }
}

function callerOf(request: { principal: SealCaller['principal'] | undefined; sourceIp: string; requestId: string }): SealCaller {
  return { principal: request.principal!, sourceIp: request.sourceIp, requestId: request.requestId };
}

const bytes = (base64Text: string) => Uint8Array.from(Buffer.from(base64Text, 'base64'));
const base64 = (value: Uint8Array) => Buffer.from(value).toString('base64');
