import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { DATASETS } from '../shared/exchange/datasets.js';
import { batchManifest, datasetChanges, fileSubmitted, reconciliationResult, recordEnvelope } from '../shared/exchange/exchange-messages.js';
import { caseEventMessage } from '../shared/cases/case-event-message.js';
import { caseExchangeMessage } from '../shared/cases/case-exchange-messages.js';
import { notificationMessage } from '../shared/notifications/notification.js';

/**
 * The JSON schemas of the messages other platforms and producers put on our queues, generated from
 * the same zod schemas the consumers validate with. events/schemas/*.schema.json are their
 * published copies; test/unit/events.test.ts fails when a copy is out of date
 * (regenerate with `npx tsx events/schemas.ts --write`).
 */
export const messageSchemas: Readonly<Record<string, { readonly title: string; readonly schema: ZodMiniType }>> = {
  'notification-message': { title: 'A message to a person on the notifications queue', schema: notificationMessage },
  'case-exchange-message': { title: 'A case forwarded between platforms, or an update of one, on case-exchange-inbound and case-outbound-* (see case-exchange.md)', schema: caseExchangeMessage },
  'case-event': { title: 'A change of a case on the case-events queue (see case-exchange.md)', schema: caseEventMessage },
  'exchange-record-envelope': { title: 'Records of a batch a platform puts on exchange-inbound (see exchange.md)', schema: recordEnvelope },
  'exchange-manifest': { title: 'The manifest of a batch on exchange-inbound: declared record count and digest', schema: batchManifest },
  'exchange-file-submitted': { title: 'Notice that a source handed in an exchange file (sent by data-sharing on exchange-inbound)', schema: fileSubmitted },
  'exchange-changes': { title: 'Table exchange: changes of a subscribed dataset, on a consumer platform\'s outbound queue', schema: datasetChanges },
  'exchange-reconciliation-result': { title: 'The reconciliation of a closed batch with its resend list, on the source platform\'s outbound queue', schema: reconciliationResult },
  ...Object.fromEntries(Object.entries(DATASETS).map(([name, dataset]) => [`exchange-data-${name}`, { title: `The data of a record of the ${name} dataset: ${dataset.title}`, schema: dataset.schema }])),
};

export function publishedSchema(name: string): Record<string, unknown> {
  const entry = messageSchemas[name]!;
  return { $id: `https://schemas.gov-platform.example/${name}.schema.json`, title: entry.title, ...z.toJSONSchema(entry.schema, { io: 'input' }) };
}

if (process.argv.includes('--write')) {
  const { writeFile } = await import('node:fs/promises');
  for (const name of Object.keys(messageSchemas)) {
    await writeFile(new URL(`./schemas/${name}.schema.json`, import.meta.url), `${JSON.stringify(publishedSchema(name), null, 2)}\n`);
  }
}
