import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';

export interface UploadRecord {
  readonly blobId: string;
  readonly owner: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: string;
  /** epoch seconds; the record disappears with its TTL unless a feature claims the blob */
  readonly expiresAt?: number;
}

const key = (blobId: string) => ({ pk: `UPLOAD#${blobId}`, sk: 'UPLOAD' });

/** Upload reservations in the platform table. */
export function uploadRepository(tables: Tables) {
  const TableName = tables.name('platform');
  return {
    async create(record: UploadRecord): Promise<void> {
      await tables.client.send(
        new PutCommand({ TableName, Item: { ...key(record.blobId), type: 'upload', ...record }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },
    async get(blobId: string): Promise<UploadRecord | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: key(blobId), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, type: _type, ...record } = Item;
      return record as UploadRecord;
    },
  };
}

export type UploadRepository = ReturnType<typeof uploadRepository>;

/** where the bytes of an upload live in the blob store */
export const uploadBlobKey = (blobId: string) => `uploads/${blobId}`;
