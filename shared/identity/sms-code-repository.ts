import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import type { TransactionItem } from '../tables/transactions.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

export type SmsPurpose = 'register' | 'login' | 'upgrade';

/** An SMS code as stored: only its keyed hash, its expiry and the wrong tries against it. */
export interface StoredSmsCode {
  readonly codeHash: string;
  /** epoch seconds */
  readonly expiresAt: number;
  readonly wrongTries: number;
}

/** wrong tries a code survives; the next try is refused whatever it sends */
export const MAX_WRONG_TRIES = 5;

const codeKey = (phoneHash: string, purpose: SmsPurpose) => ({ pk: `SMSCODE#${purpose}#${phoneHash}`, sk: 'SMSCODE' });

/** The one live SMS code per phone and purpose, in the identity table. */
export function smsCodeRepository(tables: Tables) {
  const TableName = tables.name('identity');
  return {
    /** stores a new code, replacing any earlier one for the same phone and purpose */
    async replace(phoneHash: string, purpose: SmsPurpose, code: { codeHash: string; expiresAt: number }): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: { ...codeKey(phoneHash, purpose), type: 'sms-code', ...code, wrongTries: 0 } }));
    },

    async get(phoneHash: string, purpose: SmsPurpose): Promise<StoredSmsCode | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: codeKey(phoneHash, purpose), ConsistentRead: true }));
      return Item ? { codeHash: Item.codeHash as string, expiresAt: Item.expiresAt as number, wrongTries: Item.wrongTries as number } : undefined;
    },

    /** counts a wrong try against the code that is stored now (a code replaced meanwhile is left alone) */
    async countWrongTry(phoneHash: string, purpose: SmsPurpose, storedHash: string): Promise<void> {
      await writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: codeKey(phoneHash, purpose),
            UpdateExpression: 'SET wrongTries = wrongTries + :one',
            ConditionExpression: 'codeHash = :hash',
            ExpressionAttributeValues: { ':one': 1, ':hash': storedHash },
          }),
        ),
      );
    },

    /** the write that uses a code up: it fails if the code was used, replaced, tried too often or expired meanwhile */
    usage(phoneHash: string, purpose: SmsPurpose, codeHash: string, at: Date): TransactionItem {
      return {
        Delete: {
          TableName,
          Key: codeKey(phoneHash, purpose),
          ConditionExpression: 'codeHash = :hash AND wrongTries < :max AND expiresAt > :now',
          ExpressionAttributeValues: { ':hash': codeHash, ':max': MAX_WRONG_TRIES, ':now': Math.floor(at.getTime() / 1000) },
        },
      };
    },
  };
}

export type SmsCodeRepository = ReturnType<typeof smsCodeRepository>;
