import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@aws-lambda-powertools/logger';
import { tables as manifestTables } from '../../infra/manifest.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/adapters/local/embedded-dynamo.js';
import { ensureTables } from '../../shared/adapters/local/ensure-tables.js';
import { LocalQueue } from '../../shared/adapters/local/local-queue.js';
import { localTables } from '../../shared/adapters/local/local-tables.js';
import { alertRepository, type AlertRepository } from '../../shared/cases/alert-repository.js';
import { withEvents } from '../../shared/cases/case-changes.js';
import type { CaseRecord } from '../../shared/cases/case-model.js';
import { casePublisher, caseStore, type CaseStore } from '../../shared/cases/case-services.js';
import { caseBasics, openCase } from '../../shared/cases/open-case.js';
import { superviseCases } from '../../shared/cases/supervise-cases.js';
import type { ImplementationFacts, ImplementationLookup } from '../../shared/ports/implementation-lookup.js';
import type { QueuePublisher } from '../../shared/ports/queue.js';
import { ManualClock } from '../support/manual-clock.js';

const facts: ImplementationFacts = {
  itemCode: 'RS-FW-0002',
  itemName: '社会保障卡补换',
  itemKind: '公共服务',
  region: '330106',
  agency: { uscc: '11330106MB1A2B3C46', name: '西湖区行政审批局' },
  legalBasis: '《中华人民共和国社会保险法》',
  legalDays: 20,
  promisedDays: 1,
  onlineApply: true,
  materials: [],
  minLevel: 3,
};
/** the catalog as supervision sees it here: no published implementations to check */
const emptyCatalog: ImplementationLookup = { forItemInRegion: async () => facts, async *listPublished() {} };

const clock = new ManualClock('2026-03-02T02:00:00Z');
let dynamo: EmbeddedDynamo;
let queue: LocalQueue;
let store: CaseStore;
let alerts: AlertRepository;
/** SQS as it is during an outage: every send fails while `down` */
const outage = { down: false };

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  const tables = localTables(dynamo.documentClient);
  await ensureTables(dynamo.client, [{ tableName: tables.name('cases'), spec: manifestTables.cases }]);
  queue = await LocalQueue.open({ documentClient: dynamo.documentClient, clock });
  alerts = alertRepository(tables);
  store = caseStore({ tables, clock }, { grants: { sendTo: ['case-events', 'notifications'] } }, { platformId: 'gov-platform', calendar: { holidays: [], workdays: [] } });
});
afterAll(async () => {
  await dynamo?.close();
});

const flakyQueues = (): QueuePublisher => ({
  send: async (name, messages) => {
    if (outage.down) throw new Error('SQS unavailable');
    return queue.send(name, messages);
  },
});

describe('publication of case changes', () => {
  it('keeps a change whose publication failed and publishes it on the next supervision run, once per id downstream', async () => {
    const publish = casePublisher(store, { queues: flakyQueues(), personalData: { open: async () => '' }, logger: new Logger({ logLevel: 'SILENT' }) });
    const change = await openCase(store, facts.region, async (caseNo, now) => {
      const draft: CaseRecord = {
        ...caseBasics(store.calendar, facts, caseNo, now),
        applicant: { accountId: 'ACCOUNT1', subjectType: 'natural', name: '张测试' },
        form: {},
        materials: [],
        delivery: { method: 'pickup' },
        timeline: [],
        submittedAt: now.toISOString(),
      };
      const entry = { at: now.toISOString(), state: draft.state, action: 'submit', actor: 'applicant' as const };
      return { change: withEvents(store.context, draft, { ...draft, version: 1, timeline: [entry] }, entry, { sub: 'ACCOUNT1', role: 'applicant' }) };
    });

    outage.down = true;
    expect(await publish(change.event!, change.next.applicant)).toBe(false);
    expect((await store.cases.unsentEvents(new Date(clock.now().getTime() + 1), 10)).map((e) => e.eventId)).toEqual([change.event!.eventId]);

    outage.down = false;
    clock.advance(30);
    const tooEarly = await superviseCases({ ...store, alerts, implementations: emptyCatalog, publish });
    expect(tooEarly.changesRepublished).toBe(0);
    clock.advance(60);
    const run = await superviseCases({ ...store, alerts, implementations: emptyCatalog, publish });
    expect(run.changesRepublished).toBe(1);
    expect(await store.cases.unsentEvents(new Date(clock.now().getTime() + 1), 10)).toEqual([]);

    const published = (await queue.peek('case-events')).map((m) => JSON.parse(m.body) as { eventId: string; state: string; recipient: string });
    expect(published).toEqual([expect.objectContaining({ eventId: change.event!.eventId, state: 'submitted', recipient: 'ACCOUNT1' })]);
    expect(published[0]).not.toHaveProperty('outbound');
  });
});
