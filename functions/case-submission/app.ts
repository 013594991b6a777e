import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { dynamoIdempotencyStore } from '../../shared/http/dynamo-idempotency-store.js';
import { addCaseMaterial } from '../../shared/cases/add-case-material.js';
import { casePersonalData, casePublisher, caseStore } from '../../shared/cases/case-services.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { evaluateCase } from '../../shared/cases/evaluate-case.js';
import { evaluationRepository } from '../../shared/cases/evaluation-repository.js';
import { identityApplicantDirectory } from '../../shared/cases/identity-applicant-directory.js';
import { identityDelegationCheck } from '../../shared/cases/identity-delegation-check.js';
import { submissionChannel, submitCase } from '../../shared/cases/submit-case.js';
import { supplementCase } from '../../shared/cases/supplement-case.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { delegationRepository } from '../../shared/identity/delegation-repository.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { uploadRepository } from '../../shared/uploads/upload-repository.js';
import { caseSubmissionSchemas } from './schemas.js';
import { caseSubmissionFunction } from '../../infra/manifest.js';

/** What applicants do with their cases (GB/T 39047 6.1.6, 6.1.9): submit, add materials, supplement, rate. */
export type CaseSubmissionDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'queues' | 'vault' | 'blobs'>;

export function createHandler(deps: CaseSubmissionDependencies): ApiHandler {
  const store = caseStore(deps, caseSubmissionFunction);
  const personalData = casePersonalData(deps);
  const publish = casePublisher(store, { queues: deps.queues, personalData, logger: deps.logger });
  const uploads = uploadRepository(deps.tables);
  const submission = {
    ...store,
    implementations: catalogImplementationLookup(catalogRepository(deps.tables)),
    delegations: identityDelegationCheck({ delegations: delegationRepository(deps.tables), clock: deps.clock }),
    applicants: identityApplicantDirectory(accountRepository(deps.tables)),
    uploads,
    blobs: deps.blobs,
    personalData,
    publish,
  };
  const evaluations = { ...store, evaluations: evaluationRepository(deps.tables) };

  return createApiHandler(caseSubmissionFunction, caseSubmissionSchemas, { ...deps, idempotency: dynamoIdempotencyStore(deps) }, {
    submitCase: async ({ body, principal, sourceIp, headers }) => ({
      body: await submitCase(submission, {
        principal: principal!,
        sourceIp,
        channel: submissionChannel(headers['x-channel']),
        itemCode: body.itemCode,
        region: body.region,
        form: body.form,
        materials: body.materials,
        delivery: body.delivery,
        ...(body.applicant ? { applicant: body.applicant } : {}),
        ...(body.onBehalfOf ? { onBehalfOf: body.onBehalfOf } : {}),
      }),
    }),
    addCaseMaterial: async ({ params, body, principal, sourceIp }) => ({
      body: await addCaseMaterial(submission, { principal: principal!, sourceIp, caseNo: params.caseNo, material: body }),
    }),
    supplementCase: async ({ params, body, principal, sourceIp }) => ({
      body: await supplementCase(submission, {
        principal: principal!,
        sourceIp,
        caseNo: params.caseNo,
        materials: body.materials,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.form ? { form: body.form } : {}),
      }),
    }),
    evaluateCase: async ({ params, body, principal, sourceIp }) => ({
      body: await evaluateCase(evaluations, { principal: principal!, sourceIp, caseNo: params.caseNo, evaluation: body }),
    }),
  });
}
