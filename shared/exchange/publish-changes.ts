import type { Clock } from '../ports/clock.js';
import type { OutgoingMessage, QueuePublisher } from '../ports/queue.js';
import type { PersonalDataProtector } from '../privacy/personal-data.js';
import type { DatasetName } from './dataset-names.js';
import type { DatasetChanges } from './exchange-messages.js';
import { isOutboundQueue } from './exchange-queues.js';
import type { PlatformDirectory } from './platform-repository.js';
import { revealRecordData } from './record-protection.js';
import type { StoredRecord } from './record-repository.js';

/** changes per outbound message: well inside the SQS message size for every dataset */
const CHANGES_PER_MESSAGE = 100;

export interface ChangePublishing {
  readonly platforms: PlatformDirectory;
  readonly queues: QueuePublisher;
  readonly protector: PersonalDataProtector;
  readonly clock: Clock;
}

/**
 * Table exchange (GB/T 39047 §6.3.5 a): sends changed records of a source's dataset to every
 * platform subscribed to that dataset.
 * 1. find the consumers: a grant on the dataset with `subscribe`, an outbound queue, and not the
 *    source itself (a platform is never sent its own data back);
 * 2. per consumer, reveal each record as its grant allows (personal fields masked unless named);
 * 3. send them in messages of up to 100 changes to the consumer's outbound queue.
 * Delivery is at least once: consumers keep the highest version per (source, dataset, id).
 */
export async function publishChanges(deps: ChangePublishing, input: { source: string; dataset: DatasetName; records: readonly StoredRecord[] }): Promise<void> {
  if (input.records.length === 0) return;
  const consumers = (await deps.platforms.list()).filter(
    (platform) => platform.platformId !== input.source && platform.outboundQueue !== undefined && isOutboundQueue(platform.outboundQueue),
  );
  for (const consumer of consumers) {
    const grant = consumer.consumer?.grants.find((candidate) => candidate.dataset === input.dataset && candidate.subscribe);
    if (!grant || !consumer.outboundQueue || !isOutboundQueue(consumer.outboundQueue)) continue;
    const changes = await Promise.all(
      input.records.map(async (record) => ({
        id: record.id,
        op: record.deleted ? ('delete' as const) : ('upsert' as const),
        version: record.version,
        updatedAt: record.updatedAt,
        ...(record.data ? { data: await revealRecordData(deps.protector, record.data, grant.clearFields) } : {}),
      })),
    );
    const messages: OutgoingMessage[] = [];
    for (let start = 0; start < changes.length; start += CHANGES_PER_MESSAGE) {
      const body: DatasetChanges = {
        kind: 'changes',
        dataset: input.dataset,
        source: input.source,
        sentAt: deps.clock.now().toISOString(),
        changes: changes.slice(start, start + CHANGES_PER_MESSAGE),
      };
      messages.push({ body });
    }
    await deps.queues.send(consumer.outboundQueue, messages);
  }
}
