import * as z from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { notificationMessage } from '../shared/notifications/notification.js';

/**
 * The JSON schemas of the messages other platforms and producers put on our queues, generated from
 * the same zod schemas the consumers validate with. events/schemas/*.schema.json are their
 * published copies; test/unit/events.test.ts fails when a copy is out of date
 * (regenerate with `npx tsx events/schemas.ts --write`).
 */
export const messageSchemas: Readonly<Record<string, { readonly title: string; readonly schema: ZodMiniType }>> = {
  'notification-message': { title: 'A message to a person on the notifications queue', schema: notificationMessage },
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
