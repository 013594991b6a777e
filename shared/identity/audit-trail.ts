import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { Tables } from '../ports/tables.js';
import { ttlFromNow } from '../tables/expiry.js';
import { queryAll } from '../tables/query-all.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { UniqueClaim } from './account-repository.js';

export type IdentityAuditAction =
  | 'registered'
  | 'login-succeeded'
  | 'login-failed'
  | 'account-locked'
  | 'platform-token-issued'
  | 'level-raised'
  | 'level-upgrade-refused'
  | 'session-ended'
  | 'sessions-ended-everywhere'
  | 'backchannel-logout'
  | 'refresh-token-reused'
  | 'token-exchanged'
  | 'deregistered'
  | 'delegation-created'
  | 'delegation-accepted'
  | 'delegation-revoked'
  | 'delegation-used';

/** One immutable audit event: who did what, when, from where. Never personal data. */
export interface IdentityAuditEvent {
  readonly eventId: string;
  readonly action: IdentityAuditAction;
  /** account id of whoever acted, a peer platform id (`peer:<id>`), or `anonymous` */
  readonly actor: string;
  readonly at: string;
  readonly sourceIp: string;
  readonly outcome: 'success' | 'failure';
  /** non-personal facts: method, levels, reason codes, ids of sessions and delegations */
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** Whose trail an event belongs to: an account, or a login name nobody holds (failed logins). */
export type AuditSubject = { readonly accountId: string } | { readonly loginName: UniqueClaim };

/** event ids sort in the order events were recorded, also within one millisecond */
const eventIdAt = monotonicFactory();

/** Events about login names that no account holds carry no account to keep them for: they go after this long. */
const UNKNOWN_LOGIN_NAME_RETENTION_SECONDS = 180 * 24 * 3600;

const trailKey = (subject: AuditSubject) =>
  'accountId' in subject ? `ACCOUNT#${subject.accountId}` : `LOGINNAME#${subject.loginName.kind}#${subject.loginName.hash}`;

/**
 * The audit trail of identities in the identity table, beside the account it concerns. Events
 * are written once (attribute_not_exists) and never updated; they outlive deregistration.
 */
export function identityAuditTrail(tables: Tables) {
  const TableName = tables.name('identity');
  const itemOf = (subject: AuditSubject, event: Omit<IdentityAuditEvent, 'eventId'>) => {
    const eventId = eventIdAt(new Date(event.at).getTime());
    return {
      pk: trailKey(subject),
      sk: `AUDIT#${eventId}`,
      type: 'audit',
      eventId,
      ...event,
      ...('loginName' in subject ? { expiresAt: ttlFromNow(new Date(event.at), UNKNOWN_LOGIN_NAME_RETENTION_SECONDS) } : {}),
    };
  };
  return {
    /** the write of an event, to put in the transaction of the change it records */
    entry(subject: AuditSubject, event: Omit<IdentityAuditEvent, 'eventId'>): TransactionItem {
      return { Put: { TableName, Item: itemOf(subject, event), ConditionExpression: 'attribute_not_exists(pk)' } };
    },
    /** records an event on its own (refusals and failures, which change nothing else) */
    async append(subject: AuditSubject, event: Omit<IdentityAuditEvent, 'eventId'>): Promise<void> {
      await tables.client.send(new PutCommand({ TableName, Item: itemOf(subject, event), ConditionExpression: 'attribute_not_exists(pk)' }));
    },
    /** the events of an account or login name, oldest first */
    async list(subject: AuditSubject): Promise<IdentityAuditEvent[]> {
      const items = await queryAll(tables, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': trailKey(subject), ':audit': 'AUDIT#' },
      });
      return items.map(({ pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...event }) => event as unknown as IdentityAuditEvent);
    },
  };
}

export type IdentityAuditTrail = ReturnType<typeof identityAuditTrail>;
