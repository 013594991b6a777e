import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { certificateIssueFunction } from '../../infra/manifest.js';
import { caseEventMessage } from '../../shared/cases/case-event-message.js';
import { caseRepository } from '../../shared/cases/case-repository.js';
import { certificateRepository } from '../../shared/certificates/certificate-repository.js';
import { createCertificateType } from '../../shared/certificates/create-certificate-type.js';
import { issueCertificate } from '../../shared/certificates/issue-certificate.js';
import { issueForCase } from '../../shared/certificates/issue-for-case.js';
import { certificateView } from '../../shared/certificates/read-certificates.js';
import { revokeCertificate } from '../../shared/certificates/revoke-certificate.js';
import { createApiHandler } from '../../shared/http/api-handler.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import { createQueueHandler, messageBody } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { sealRepository } from '../../shared/seals/seal-repository.js';
import { certificateIssueSchemas } from './schemas.js';

/** Certificate types, issuance sealed with the issuer's seal (by staff and on case approval), revocation (GB/T 39047 6.3.4). */
export type CertificateIssueDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault' | 'queues'>;

export function createHandler(deps: CertificateIssueDependencies) {
  const certificates = certificateRepository(deps.tables);
  const seals = sealRepository(deps.tables);
  const personalData = personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash });
  const issuing = { certificates, seals, vault: deps.vault, personalData, clock: deps.clock, queues: deps.queues, logger: deps.logger };
  const viewing = { personalData, clock: deps.clock };

  const api = createApiHandler(certificateIssueFunction, certificateIssueSchemas, deps, {
    createCertificateType: async ({ body }) => {
      const { validityYears, itemCodes, ...type } = body;
      return {
        status: 201,
        body: await createCertificateType({ certificates, seals, clock: deps.clock }, { ...type, ...(validityYears ? { validityYears } : {}), ...(itemCodes ? { itemCodes } : {}) }),
      };
    },
    issueCertificate: async ({ body, principal }) => {
      const { validUntil, caseNo, previousIdentifier, ...request } = body;
      const record = await issueCertificate(issuing, {
        issuer: { staff: principal! },
        request: { ...request, ...(validUntil ? { validUntil } : {}), ...(caseNo ? { caseNo } : {}), ...(previousIdentifier ? { previousIdentifier } : {}) },
      });
      return { status: 201, body: await certificateView(viewing, record, 'issuer') };
    },
    revokeCertificate: async ({ params, body, principal }) => ({
      body: await certificateView(viewing, await revokeCertificate({ certificates, clock: deps.clock }, { principal: principal!, identifier: params.identifier, reason: body.reason }), 'issuer'),
    }),
  });

  const approvals = createQueueHandler(deps, async (record) => {
    const event = messageBody(record, caseEventMessage, 'case event');
    const outcome = await issueForCase({ ...issuing, cases: caseRepository({ tables: deps.tables }) }, event);
    deps.logger.info('case approval', { caseNo: event.caseNo, outcome });
  });

  return async (event: APIGatewayProxyEventV2 | SQSEvent, context: Context) => ('Records' in event ? approvals(event, context) : api(event, context));
}
