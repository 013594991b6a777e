import type { Principal } from '../auth/principal.js';
import { conflict } from '../errors.js';
import { caseActorOf, handledCase } from './case-access.js';
import { amendCase } from './case-changes.js';
import type { ExpressInfo } from './case-model.js';
import type { CaseStore } from './case-services.js';
import { workflowById } from './case-workflows.js';

/**
 * PUT /v1/cases/{caseNo}/express: staff record how the result travels (carrier, tracking number,
 * the carrier's tracking events), which the applicant sees with the case (GB/T 39047 6.1.7).
 * 1. the case must be handled by the caller's agency (else 404), here (409 handled_elsewhere),
 *    delivered by express (409 not_express_delivery) and decided (409 express_not_ready);
 * 2. the express information replaces the previous one, on top of the version read, audited.
 */
export async function recordExpress(
  deps: CaseStore,
  input: { principal: Principal; sourceIp?: string; caseNo: string; express: Omit<ExpressInfo, 'updatedAt'> },
): Promise<ExpressInfo> {
  const record = handledCase(input.principal, await deps.cases.get(input.caseNo), input.caseNo);
  if (record.exchange?.role === 'origin') throw conflict(`The case is handled by platform ${record.exchange.partner}`, 'handled_elsewhere');
  if (record.delivery.method !== 'express') throw conflict('The applicant picks the result up; there is no express delivery', 'not_express_delivery');
  const state = workflowById(record.workflowId).states[record.state];
  const decided = state?.decision === 'approved' || state?.decision === 'denied' || record.state === 'delivered';
  if (!decided) throw conflict(`The case is ${record.state}; express information follows a decision`, 'express_not_ready');
  const at = deps.clock.now();
  const express: ExpressInfo = { ...input.express, updatedAt: at.toISOString() };
  const change = amendCase(record, { express }, { action: 'record-express', actor: caseActorOf(input.principal, input.sourceIp), at });
  await deps.cases.save(change.next, record, { audit: change.audit });
  return express;
}
