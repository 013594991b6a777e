import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { queryAll } from '../tables/query-all.js';
import { DEFAULT_PRIVACY, type Favorite, type Footprint, type InboxMessage, type Preferences, type PrivateDocument, type PrivacySettings } from './user-center-model.js';

const user = (sub: string) => `USER#${sub}`;
const strip = ({ pk: _pk, sk: _sk, expiresAt: _e, ...rest }: Record<string, unknown>) => rest;

/** Everything of one user in the user-center table, under `USER#<sub>`: settings, `MSG#`, `FAV#`, `FOOT#<ulid>` (time-ordered), `DOC#` (private space). */
export function userCenterRepository(tables: Tables) {
  const TableName = tables.name('user-center');
  const get = async (sub: string, sk: string) => (await tables.client.send(new GetCommand({ TableName, Key: { pk: user(sub), sk } }))).Item;
  const put = (sub: string, sk: string, value: object, condition?: string) =>
    tables.client.send(new PutCommand({ TableName, Item: { pk: user(sub), sk, ...value }, ...(condition ? { ConditionExpression: condition } : {}) }));
  const list = (sub: string, prefix: string, newestFirst = false) =>
    queryAll(tables, {
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': user(sub), ':prefix': prefix },
      ScanIndexForward: !newestFirst,
    });
  const remove = (sub: string, sk: string) => tables.client.send(new DeleteCommand({ TableName, Key: { pk: user(sub), sk } }));

  return {
    async privacy(sub: string): Promise<PrivacySettings> {
      const item = await get(sub, 'PRIVACY');
      return item ? (strip(item) as unknown as PrivacySettings) : DEFAULT_PRIVACY;
    },
    savePrivacy: (sub: string, settings: PrivacySettings) => put(sub, 'PRIVACY', settings),
    async preferences(sub: string): Promise<Preferences> {
      const item = await get(sub, 'PREFERENCES');
      return item ? (strip(item) as unknown as Preferences) : { themes: [], subscribedItems: [] };
    },
    savePreferences: (sub: string, preferences: Preferences) => put(sub, 'PREFERENCES', preferences),

    /** delivers a message once: a second delivery of the same id (a redelivered event) changes nothing */
    async deliver(recipient: string, message: InboxMessage): Promise<boolean> {
      try {
        await put(recipient, `MSG#${message.messageId}`, message, 'attribute_not_exists(pk)');
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
    async messages(sub: string): Promise<InboxMessage[]> {
      return (await list(sub, 'MSG#')).map((item) => ({ ...strip(item), ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}) }) as unknown as InboxMessage);
    },
    /** marks a message read at `readAt` (the first reading counts), destroyed by TTL at `expiresAt` when given */
    async markRead(sub: string, messageId: string, readAt: string, expiresAt: number | undefined): Promise<void> {
      await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: { pk: user(sub), sk: `MSG#${messageId}` },
          UpdateExpression: expiresAt === undefined ? 'SET readAt = if_not_exists(readAt, :at)' : 'SET readAt = if_not_exists(readAt, :at), expiresAt = if_not_exists(expiresAt, :ttl)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': readAt, ...(expiresAt === undefined ? {} : { ':ttl': expiresAt }) },
        }),
      );
    },

    addFavorite: (sub: string, favorite: Favorite) => put(sub, `FAV#${favorite.favoriteId}`, favorite),
    async favorites(sub: string): Promise<Favorite[]> {
      return (await list(sub, 'FAV#')).map((item) => strip(item) as unknown as Favorite);
    },
    removeFavorite: (sub: string, favoriteId: string) => remove(sub, `FAV#${favoriteId}`),

    addFootprint: (sub: string, footprint: Footprint, expiresAt: number) => put(sub, `FOOT#${footprint.footprintId}`, { ...footprint, expiresAt }),
    async footprints(sub: string): Promise<(Footprint & { expiresAt?: number })[]> {
      return (await list(sub, 'FOOT#', true)).map((item) => ({ ...strip(item), expiresAt: item.expiresAt }) as Footprint & { expiresAt?: number });
    },
    removeFootprint: (sub: string, footprintId: string) => remove(sub, `FOOT#${footprintId}`),

    addPrivateDocument: (sub: string, document: PrivateDocument) => put(sub, `DOC#${document.documentId}`, document),
    async privateDocuments(sub: string): Promise<PrivateDocument[]> {
      return (await list(sub, 'DOC#')).map((item) => strip(item) as unknown as PrivateDocument);
    },
    async privateDocument(sub: string, documentId: string): Promise<PrivateDocument | undefined> {
      const item = await get(sub, `DOC#${documentId}`);
      return item ? (strip(item) as unknown as PrivateDocument) : undefined;
    },
    removePrivateDocument: (sub: string, documentId: string) => remove(sub, `DOC#${documentId}`),
  };
}

export type UserCenterRepository = ReturnType<typeof userCenterRepository>;
