import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldIssue } from '../errors.js';
import type { Tables } from '../ports/tables.js';
import { writtenIfCondition } from '../tables/conditional-write.js';
import type { DatasetName } from './dataset-names.js';
import type { ExchangeFileFormat } from './exchange-file-format.js';

/** An exchange file a source uploaded: processed like a batch of its own. */
export interface ExchangeFile {
  /** the upload's blob id: one upload is one file */
  readonly fileId: string;
  readonly source: string;
  readonly dataset: DatasetName;
  readonly batchId: string;
  readonly format: ExchangeFileFormat;
  readonly submittedAt: string;
  readonly submittedBy: string;
  readonly state: 'queued' | 'processed' | 'failed';
  readonly issues?: readonly FieldIssue[];
}

const fileKey = (fileId: string) => ({ pk: `FILE#${fileId}`, sk: 'FILE' });

/** Exchange files in the exchange table. */
export function fileRepository(tables: Tables) {
  const TableName = tables.name('exchange');
  return {
    /** registers a file; a second submission of the same upload returns the first registration */
    async create(file: ExchangeFile): Promise<ExchangeFile> {
      const written = await writtenIfCondition(tables.client.send(new PutCommand({ TableName, Item: { ...fileKey(file.fileId), type: 'exchange-file', ...file }, ConditionExpression: 'attribute_not_exists(pk)' })));
      return written ? file : (await this.get(file.fileId))!;
    },

    async get(fileId: string): Promise<ExchangeFile | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: fileKey(fileId), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, type: _type, ...file } = Item;
      return file as ExchangeFile;
    },

    async finish(fileId: string, outcome: { state: 'processed' } | { state: 'failed'; issues: readonly FieldIssue[] }): Promise<void> {
      await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: fileKey(fileId),
          UpdateExpression: outcome.state === 'failed' ? 'SET #state = :state, issues = :issues' : 'SET #state = :state',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': outcome.state, ...(outcome.state === 'failed' ? { ':issues': outcome.issues } : {}) },
        }),
      );
    },
  };
}

export type FileRepository = ReturnType<typeof fileRepository>;
