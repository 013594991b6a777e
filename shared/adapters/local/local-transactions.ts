/**
 * TransactWriteItems and TransactGetItems for the embedded DynamoDB (dynalite 4 has neither),
 * installed as middleware on a DynamoDBClient, so repositories send TransactWriteCommand and
 * TransactGetCommand (through a DynamoDBDocumentClient or not) exactly as they do on AWS.
 *
 * How it works:
 * - The middleware sits just inside the SDK's deserializer, where the HTTP call would go. For the
 *   two transaction operations it answers itself with the JSON body DynamoDB would send, so the
 *   SDK builds the output (and the DocumentClient unmarshalls it) and throws its real error
 *   classes: TransactionCanceledException with CancellationReasons, ValidationException,
 *   IdempotentParameterMismatchException.
 * - One in-process lock per store serialises transactions, TransactGetItems and single-item
 *   writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem) sent through any client layered over
 *   that store, so a transaction's check-then-write never interleaves with another write.
 *   Other reads do not take the lock.
 * - TransactWriteItems, steps:
 *   1. validate before touching anything: 1 to 100 operations, one action each, at most one
 *      operation per item, expressions that parse (dynalite's own parser);
 *   2. under the lock, replay: the same ClientRequestToken with the same request within 10 minutes
 *      of a success returns success without applying anything again; with a different request it
 *      is an IdempotentParameterMismatchException;
 *   3. snapshot every item the transaction names (consistent GetItem);
 *   4. evaluate every condition against its snapshot with dynalite's own evaluator, the one its
 *      single-item writes use; if any fails, cancel with one reason per operation: nothing has
 *      been written;
 *   5. apply Put, Update and Delete in order as single-item writes through the unlayered store
 *      client (ConditionCheck writes nothing); if one fails unexpectedly, put the snapshots of
 *      the ones already applied back and rethrow.
 *
 * Known differences from DynamoDB: a plain GetItem may see a transaction half-applied during
 * step 5; idempotency tokens live in memory only; writers that bypass the layered client (another
 * DynamoDBClient on the same endpoint) bypass the lock too.
 */
import { createRequire } from 'node:module';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactGetItemsInput,
  type TransactWriteItem,
  type TransactWriteItemsInput,
} from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../../ports/clock.js';

type Item = Record<string, AttributeValue>;
type StackMiddleware = Parameters<DynamoDBClient['middlewareStack']['addRelativeTo']>[0];
/** JSON as DynamoDB sends it on the wire (binary values base64) */
type Wire = unknown;

const require = createRequire(import.meta.url);
const dynaliteValidations = require('dynalite/validations/index.js') as {
  validateExpressions(data: Record<string, unknown>): string | undefined;
};
const dynaliteDb = require('dynalite/db/index.js') as {
  checkConditional(data: Record<string, unknown>, existingItem: Wire): Error | null | undefined;
};

const MAX_OPERATIONS = 100;
const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;
const SERIALISED_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** A request DynamoDB would refuse; turned into the error response it would send. */
class Refusal extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly details: Record<string, Wire> = {},
  ) {
    super(message);
  }
}

const validationError = (message: string) => new Refusal('com.amazon.coral.validate#ValidationException', message);

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface StoreState {
  readonly lock: Mutex;
  /** ClientRequestToken -> fingerprint of the request and when it succeeded */
  readonly completed: Map<string, { fingerprint: string; at: number }>;
}

/** the lock and tokens belong to the store, so every client layered over it shares them */
const storeStates = new WeakMap<DynamoDBClient, StoreState>();

function stateOf(store: DynamoDBClient): StoreState {
  let state = storeStates.get(store);
  if (!state) {
    state = { lock: new Mutex(), completed: new Map() };
    storeStates.set(store, state);
  }
  return state;
}

/**
 * Installs the transaction layer on `client`. `store` is a plain client on the same endpoint that
 * the layer uses for its own reads and writes (they must not queue behind the lock they hold).
 */
export function installLocalTransactions(client: DynamoDBClient, options: { store: DynamoDBClient; clock?: Clock }): void {
  const transactions = new LocalTransactions(options.store, options.clock ?? systemClock);
  const middleware = (next: (args: { input: object }) => Promise<unknown>, context: { commandName: string }) => async (args: { input: object }) => {
    switch (context.commandName) {
      case 'TransactWriteItemsCommand':
        return answer(() => transactions.write(args.input as TransactWriteItemsInput));
      case 'TransactGetItemsCommand':
        return answer(() => transactions.get(args.input as TransactGetItemsInput));
      default:
        return SERIALISED_WRITES.has(context.commandName) ? transactions.serialised(() => next(args)) : next(args);
    }
  };
  client.middlewareStack.addRelativeTo(middleware as unknown as StackMiddleware, {
    name: 'localTransactions',
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
  });
}

/** runs an operation and encodes its result or refusal as the HTTP response DynamoDB would send */
async function answer(operation: () => Promise<Wire>): Promise<{ response: unknown; output: unknown }> {
  let statusCode = 200;
  let body: Wire;
  try {
    body = await operation();
  } catch (error) {
    if (error instanceof Refusal) {
      statusCode = 400;
      body = { __type: error.type, message: error.message, ...error.details };
    } else if (error instanceof DynamoDBServiceException) {
      // an error of the store (e.g. ResourceNotFoundException) reaches the caller as the same error
      statusCode = error.$metadata.httpStatusCode ?? 400;
      body = { __type: error.name, message: error.message };
    } else {
      throw error;
    }
  }
  return {
    output: {},
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'local' },
      body: Buffer.from(JSON.stringify(body)),
    },
  };
}

/** the members of Put, Update, Delete and ConditionCheck, side by side */
interface OperationDetails {
  readonly TableName?: string;
  readonly Item?: Item;
  readonly Key?: Item;
  readonly UpdateExpression?: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
  readonly ReturnValuesOnConditionCheckFailure?: string;
}

interface PlannedOperation {
  readonly action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  readonly tableName: string;
  readonly key: Item;
  readonly details: OperationDetails;
  /** the request as dynalite's parser and evaluator expect it (wire JSON, parsed expressions) */
  readonly parsed: Record<string, unknown>;
}

class LocalTransactions {
  /** key attribute names per table: tables keep their key schema for their whole life */
  private readonly keySchemas = new Map<string, string[]>();
  private readonly state: StoreState;

  constructor(
    private readonly store: DynamoDBClient,
    private readonly clock: Clock,
  ) {
    this.state = stateOf(store);
  }

  serialised<T>(write: () => Promise<T>): Promise<T> {
    return this.state.lock.run(write);
  }

  async write(input: TransactWriteItemsInput): Promise<Wire> {
    const plan = await this.plan(input.TransactItems ?? []);
    const token = input.ClientRequestToken;
    const fingerprint = canonicalJson(toWire({ ...input, ClientRequestToken: undefined }));
    return this.state.lock.run(async () => {
      if (token !== undefined && this.isReplay(token, fingerprint)) return {};
      const snapshots = await Promise.all(plan.map((op) => this.read(op.tableName, op.key)));
      const reasons = plan.map((op, i) => conditionOutcome(op, snapshots[i]));
      if (reasons.some((reason) => reason.Code !== 'None')) {
        throw new Refusal(
          'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          { CancellationReasons: reasons },
        );
      }
      await this.apply(plan, snapshots);
      if (token !== undefined) this.state.completed.set(token, { fingerprint, at: this.clock.now().getTime() });
      return {};
    });
  }

  async get(input: TransactGetItemsInput): Promise<Wire> {
    const gets = (input.TransactItems ?? []).map((item) => {
      if (!item.Get) throw validationError('TransactItems can only contain Get operations');
      return item.Get;
    });
    checkOperationCount(gets.length);
    const identities = await Promise.all(gets.map(async (get) => itemIdentity(get.TableName ?? '', await this.keyNames(get.TableName ?? ''), get.Key ?? {})));
    checkOneOperationPerItem(identities);
    return this.state.lock.run(async () => {
      const items = await Promise.all(
        gets.map(async (get) => {
          const { Item } = await this.store.send(new GetItemCommand({ ...get, ConsistentRead: true }));
          return Item;
        }),
      );
      return { Responses: items.map((item) => (item ? { Item: toWire(item) } : {})) };
    });
  }

  /** step 1: everything DynamoDB rejects before it looks at any item */
  private async plan(transactItems: readonly TransactWriteItem[]): Promise<PlannedOperation[]> {
    checkOperationCount(transactItems.length);
    const plan = await Promise.all(
      transactItems.map(async (transactItem) => {
        const actions = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).filter((action) => transactItem[action] !== undefined);
        const action = actions[0];
        if (actions.length !== 1 || action === undefined) {
          throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
        }
        const details: OperationDetails = transactItem[action]!;
        const tableName = details.TableName ?? '';
        const keyNames = await this.keyNames(tableName);
        const source = action === 'Put' ? details.Item : details.Key;
        const key = Object.fromEntries(
          keyNames.map((name) => {
            const value = source?.[name];
            if (value === undefined) throw validationError(`One or more parameter values were invalid: Missing the key ${name} in the item`);
            return [name, value];
          }),
        );
        const parsed = toWire({
          ConditionExpression: details.ConditionExpression,
          UpdateExpression: details.UpdateExpression,
          ExpressionAttributeNames: details.ExpressionAttributeNames,
          ExpressionAttributeValues: details.ExpressionAttributeValues,
        }) as Record<string, unknown>;
        const invalid = dynaliteValidations.validateExpressions(parsed);
        if (invalid) throw validationError(invalid);
        return { action, tableName, key, details, parsed };
      }),
    );
    checkOneOperationPerItem(plan.map((op) => itemIdentity(op.tableName, Object.keys(op.key), op.key)));
    return plan;
  }

  private isReplay(token: string, fingerprint: string): boolean {
    const now = this.clock.now().getTime();
    for (const [known, { at }] of this.state.completed) {
      if (now - at > IDEMPOTENCY_WINDOW_MS) this.state.completed.delete(known);
    }
    const previous = this.state.completed.get(token);
    if (!previous) return false;
    if (previous.fingerprint !== fingerprint) {
      throw new Refusal(
        'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    return true;
  }

  /** step 5 */
  private async apply(plan: readonly PlannedOperation[], snapshots: readonly (Item | undefined)[]): Promise<void> {
    const applied: number[] = [];
    try {
      for (const [i, op] of plan.entries()) {
        if (op.action === 'ConditionCheck') continue;
        applied.push(i);
        await this.writeOne(op);
      }
    } catch (error) {
      for (const i of applied.reverse()) await this.restore(plan[i]!, snapshots[i]);
      throw error;
    }
  }

  /** the single-item write of an operation; the condition travels along because its names and values may be used only there */
  private async writeOne(op: PlannedOperation): Promise<void> {
    const d = op.details;
    const common = {
      TableName: op.tableName,
      ConditionExpression: d.ConditionExpression,
      ExpressionAttributeNames: d.ExpressionAttributeNames,
      ExpressionAttributeValues: d.ExpressionAttributeValues,
    };
    switch (op.action) {
      case 'Put':
        await this.store.send(new PutItemCommand({ ...common, Item: d.Item }));
        break;
      case 'Update':
        await this.store.send(new UpdateItemCommand({ ...common, Key: op.key, UpdateExpression: d.UpdateExpression }));
        break;
      case 'Delete':
        await this.store.send(new DeleteItemCommand({ ...common, Key: op.key }));
        break;
      case 'ConditionCheck':
        break;
    }
  }

  private async restore(op: PlannedOperation, snapshot: Item | undefined): Promise<void> {
    if (snapshot) await this.store.send(new PutItemCommand({ TableName: op.tableName, Item: snapshot }));
    else await this.store.send(new DeleteItemCommand({ TableName: op.tableName, Key: op.key }));
  }

  private async read(tableName: string, key: Item): Promise<Item | undefined> {
    const { Item } = await this.store.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  private async keyNames(tableName: string): Promise<string[]> {
    const known = this.keySchemas.get(tableName);
    if (known) return known;
    const { Table } = await this.store.send(new DescribeTableCommand({ TableName: tableName }));
    const names = (Table?.KeySchema ?? []).map((element) => element.AttributeName ?? '');
    this.keySchemas.set(tableName, names);
    return names;
  }
}

function checkOperationCount(count: number): void {
  if (count < 1 || count > MAX_OPERATIONS) {
    throw validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and ${MAX_OPERATIONS}`,
    );
  }
}

function checkOneOperationPerItem(identities: readonly string[]): void {
  if (new Set(identities).size !== identities.length) {
    throw validationError('Transaction request cannot include multiple operations on one item');
  }
}

function itemIdentity(tableName: string, keyNames: readonly string[], key: Item): string {
  return canonicalJson([tableName, keyNames.map((name) => toWire(key[name]))]);
}

/** step 4 for one operation: its cancellation reason */
function conditionOutcome(op: PlannedOperation, snapshot: Item | undefined): { Code: string; Message?: string; Item?: Wire } {
  if (!dynaliteDb.checkConditional(op.parsed, snapshot ? toWire(snapshot) : undefined)) return { Code: 'None' };
  const withOldItem = op.details.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && snapshot !== undefined;
  return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(withOldItem ? { Item: toWire(snapshot) } : {}) };
}

/** SDK attribute values as JSON on the wire: binary becomes base64, undefined members disappear */
function toWire(value: unknown): Wire {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([name, member]) => [name, toWire(member)]),
    );
  }
  return value;
}

/** JSON with object keys sorted, so equal requests built in a different key order compare equal */
function canonicalJson(value: Wire): string {
  return JSON.stringify(value, (_, member: unknown) =>
    member !== null && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  );
}
