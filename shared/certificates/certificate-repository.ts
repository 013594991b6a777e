import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Tables } from '../ports/tables.js';
import type { CertificateRecord, CertificateType, UsageEntry, UsageGrant } from './certificate-model.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

const typeKey = (typeCode: string) => ({ pk: `TYPE#${typeCode}`, sk: 'TYPE' });
const itemTypeKey = (itemCode: string, typeCode: string) => ({ pk: `ITEM#${itemCode}`, sk: typeCode });
const certificateKey = (identifier: string) => ({ pk: `CERT#${identifier}`, sk: 'META' });
const grantKey = (identifier: string, grantId: string) => ({ pk: `CERT#${identifier}`, sk: `GRANT#${grantId}` });
const caseKey = (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: 'CERT' });
const holderIndex = (holderLookup: string) => `HOLDER#${holderLookup}`;

/** Certificate types, certificates, usage grants and the usage log, in the certificates table. */
export function certificateRepository(tables: Tables) {
  const TableName = tables.name('certificates');
  const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, entity: _e, ...rest } = item;
    return rest as T;
  };
  const queryAll = async (input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await tables.client.send(new QueryCommand({ TableName, ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const query = (pk: string, skPrefix: string, forward = true) =>
    queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix }, ScanIndexForward: forward });

  return {
    /** a new type (409 upstream when the code is taken), with one row per item that produces it */
    async createType(type: CertificateType): Promise<boolean> {
      const written = await writtenIfCondition(tables.client.send(new PutCommand({ TableName, Item: { ...typeKey(type.typeCode), entity: 'type', ...type }, ConditionExpression: 'attribute_not_exists(pk)' })));
      if (!written) return false;
      await Promise.all(type.itemCodes.map((itemCode) => tables.client.send(new PutCommand({ TableName, Item: { ...itemTypeKey(itemCode, type.typeCode), entity: 'item-type' } }))));
      return true;
    },

    async getType(typeCode: string): Promise<CertificateType | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: typeKey(typeCode) }));
      return strip<CertificateType>(Item);
    },

    /** the types an item's approval produces */
    async typeCodesOfItem(itemCode: string): Promise<string[]> {
      return (await query(`ITEM#${itemCode}`, '')).map((item) => String(item.sk));
    },

    /** the next serial of a type at an issuer: never repeats */
    async nextSerial(typeCode: string, issuerUscc: string): Promise<number> {
      const { Attributes } = await tables.client.send(
        new UpdateCommand({
          TableName,
          Key: { pk: `SERIAL#${typeCode}#${issuerUscc}`, sk: 'COUNTER' },
          UpdateExpression: 'ADD #value :one SET entity = :entity',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':entity': 'counter' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.value);
    },

    async put(record: CertificateRecord): Promise<void> {
      await tables.client.send(
        new PutCommand({
          TableName,
          Item: { ...certificateKey(record.identifier), entity: 'certificate', gsi1pk: holderIndex(record.holderLookup), gsi1sk: `${record.issuedAt}#${record.identifier}`, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(identifier: string): Promise<CertificateRecord | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: certificateKey(identifier) }));
      return strip<CertificateRecord>(Item);
    },

    /** a status change of a valid certificate (revoked, superseded); false when it was no longer valid */
    async changeStatus(identifier: string, status: 'revoked' | 'superseded', reason: string, at: Date): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: certificateKey(identifier),
            UpdateExpression: 'SET #status = :status, statusReason = :reason, statusChangedAt = :at',
            ConditionExpression: '#status = :valid',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':reason': reason, ':at': at.toISOString(), ':valid': 'valid' },
          }),
        ),
      );
    },

    /** every certificate of a holder, newest first */
    async listByHolder(holderLookup: string): Promise<CertificateRecord[]> {
      const items = await queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': holderIndex(holderLookup) }, ScanIndexForward: false });
      return items.map((item) => strip<CertificateRecord>(item)!);
    },

    /** claims the certificate of a case once; false when the case has one already */
    async claimCase(caseNo: string): Promise<boolean> {
      return writtenIfCondition(tables.client.send(new PutCommand({ TableName, Item: { ...caseKey(caseNo), entity: 'case-certificate' }, ConditionExpression: 'attribute_not_exists(pk)' })));
    },

    /** gives a claim back after the issuance it was for failed, so the case can be retried */
    async releaseCase(caseNo: string): Promise<void> {
      await tables.client.send(new DeleteCommand({ TableName, Key: caseKey(caseNo) }));
    },

    async putGrant(grant: UsageGrant): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...grantKey(grant.identifier, grant.grantId), entity: 'usage-grant', ...grant } }));
    },

    async grants(identifier: string): Promise<UsageGrant[]> {
      return (await query(`CERT#${identifier}`, 'GRANT#')).map((item) => strip<UsageGrant>(item)!);
    },

    async revokeGrant(identifier: string, grantId: string, at: Date): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: grantKey(identifier, grantId),
            UpdateExpression: 'SET revokedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':at': at.toISOString() },
          }),
        ),
      );
    },

    async recordUse(entry: UsageEntry): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { pk: `CERT#${entry.identifier}`, sk: `USE#${entry.at}#${ulid()}`, entity: 'usage', ...entry } }));
    },

    /** the uses of a certificate, newest first */
    async usageLog(identifier: string): Promise<UsageEntry[]> {
      return (await query(`CERT#${identifier}`, 'USE#', false)).map((item) => strip<UsageEntry>(item)!);
    },
  };
}

export type CertificateRepository = ReturnType<typeof certificateRepository>;
