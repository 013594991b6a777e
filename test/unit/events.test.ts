import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { allRoutes, routeKey } from '../../infra/manifest.js';
import { messageSchemas, publishedSchema } from '../../events/schemas.js';
import { notificationMessage } from '../../shared/notifications/notification.js';

const readJson = async (path: string) => JSON.parse(await readFile(new URL(`../../events/${path}`, import.meta.url), 'utf8'));

describe('events/', () => {
  it.each(Object.keys(messageSchemas))('the published %s schema is the one the consumer validates with', async (name) => {
    expect(await readJson(`schemas/${name}.schema.json`)).toEqual(publishedSchema(name));
  });

  it('the sample SQS event carries a valid notification', async () => {
    const event = await readJson('sqs/notifications.json');
    expect(notificationMessage.safeParse(JSON.parse(event.Records[0].body)).success).toBe(true);
  });

  it('the sample API Gateway event names a manifest route', async () => {
    const event = await readJson('api-gateway/get-health.json');
    expect(allRoutes().map(({ route }) => routeKey(route))).toContain(event.routeKey);
  });
});
