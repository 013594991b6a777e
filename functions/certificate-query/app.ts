import { certificateQueryFunction } from '../../infra/manifest.js';
import { callerHolderResolver } from '../../shared/certificates/certificate-holder.js';
import { certificateRepository } from '../../shared/certificates/certificate-repository.js';
import { exchangedCertificates } from '../../shared/certificates/exchanged-certificates.js';
import { getCertificate, getCertificateFile, getUsageLog, getWallet, grantCertificateUse, queryCertificates, revokeCertificateUse } from '../../shared/certificates/read-certificates.js';
import { verifyCertificate } from '../../shared/certificates/verify-certificate.js';
import { platformRepository } from '../../shared/exchange/platform-repository.js';
import { recordRepository } from '../../shared/exchange/record-repository.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { sealAuthorityRepository } from '../../shared/seals/seal-authority.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { loadSealSettings, type SealSettings } from '../../shared/seals/seal-settings.js';
import { trustStoreLoader } from '../../shared/seals/trust-store.js';
import { certificateQuerySchemas } from './schemas.js';

/** Certificate sharing (GB/T 36906), verification, the card wallet, usage grants and the usage log (GB/T 39047 6.3.4, 6.1.10 g). */
export type CertificateQueryDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault'>;

export function createHandler(deps: CertificateQueryDependencies, settings: SealSettings = loadSealSettings()): ApiHandler {
  const certificates = certificateRepository(deps.tables);
  const personalData = personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash });
  const holderOf = callerHolderResolver({ accounts: accountRepository(deps.tables), personalData });
  const reading = { certificates, holderOf, personalData, clock: deps.clock };
  const seals = sealRepository(deps.tables);
  const trust = trustStoreLoader({ authorities: sealAuthorityRepository(deps.tables), configuredAnchors: settings.trustAnchors, clock: deps.clock, cacheSeconds: settings.cacheSeconds });
  const verifying = { certificates, personalData, seals: { trust: trust.load, seals, clock: deps.clock }, clock: deps.clock };
  const exchanged = exchangedCertificates({ platforms: platformRepository(deps.tables), records: recordRepository(deps.tables), personalData, clock: deps.clock });
  const reason = (query: { useCause?: string | undefined; caseNo?: string | undefined }) => ({
    ...(query.useCause ? { useCause: query.useCause } : {}),
    ...(query.caseNo ? { caseNo: query.caseNo } : {}),
  });

  return createApiHandler(certificateQueryFunction, certificateQuerySchemas, deps, {
    getCertificate: async ({ params, query, principal }) => ({ body: await getCertificate(reading, { principal: principal!, reason: reason(query) }, params.identifier) }),
    queryCertificates: async ({ query, principal }) => ({
      body: {
        certificates: await queryCertificates(reading, { principal: principal!, reason: reason(query) }, {
          holderCode: query.holderCode,
          holderCodeType: query.holderCodeType ?? (/^\d{17}[\dX]$/.test(query.holderCode) ? 'resident-id' : 'uscc'),
          ...(query.typeCode ? { typeCode: query.typeCode } : {}),
        }),
      },
    }),
    getCertificateFile: async ({ params, query, principal }) => ({ body: await getCertificateFile(reading, { principal: principal!, reason: reason(query) }, params.identifier) }),
    verifyCertificate: async ({ body }) => ({
      body: await verifyCertificate(
        verifying,
        'identifier' in body ? { identifier: body.identifier } : { document: Buffer.from(body.file.document, 'base64'), signature: Buffer.from(body.file.signature, 'base64') },
      ),
    }),
    getWallet: async ({ query, principal }) => ({ body: await getWallet({ ...reading, exchanged }, { principal: principal!, includeHistory: query.include === 'history' }) }),
    grantCertificateUse: async ({ params, body, principal }) => ({
      status: 201,
      body: await grantCertificateUse(reading, { principal: principal!, identifier: params.identifier, agency: body.agency, validUntil: body.validUntil, ...(body.caseNo ? { caseNo: body.caseNo } : {}) }),
    }),
    revokeCertificateUse: async ({ params, principal }) => ({ body: await revokeCertificateUse(reading, { principal: principal!, identifier: params.identifier, grantId: params.grantId }) }),
    getCertificateUsageLog: async ({ params, principal }) => ({ body: await getUsageLog(reading, { principal: principal!, identifier: params.identifier }) }),
  });
}
