import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RealNameLevel } from '../auth/principal.js';
import type { Tables } from '../ports/tables.js';
import { isExpired } from '../tables/expiry.js';
import { queryAll } from '../tables/query-all.js';
import { writeAll, type TransactionItem } from '../tables/transactions.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** A login: access tokens carry its id (sid) so logout can end it. */
export interface Session {
  readonly sessionId: string;
  readonly accountId: string;
  readonly amr: readonly string[];
  readonly createdAt: string;
  /** when the person last proved who they are (a login, not a refresh): deregistration needs it fresh */
  readonly authTime: string;
  readonly sourceIp: string;
  /** epoch seconds; the session record is swept after this */
  readonly expiresAt: number;
  /** the level this session's tokens carry when it is not the account's (federated and delegated sessions) */
  readonly level?: RealNameLevel;
  /** SHA-256 of the current refresh token; the session has none when absent */
  readonly refreshHash?: string;
  /** hashes of refresh tokens already used: presenting one again means it was stolen */
  readonly rotatedRefreshHashes?: readonly string[];
  readonly revokedAt?: string;
  readonly revokedReason?: string;
  /** a session opened by exchanging a peer platform's token: the peer and its subject and session */
  readonly federation?: { readonly peerId: string; readonly peerSub: string; readonly peerSid?: string };
  /** a session of a delegate acting for a principal */
  readonly delegation?: { readonly delegationId: string; readonly principalAccountId: string };
  readonly parentSessionId?: string;
  /** delegated sessions opened from this one: they end with it */
  readonly childSessionIds?: readonly string[];
  /** peer platforms this session's tokens were exchanged for: they are told when it ends */
  readonly peers?: readonly string[];
}

const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' });
const byPeerSubject = (peerId: string, peerSub: string) => `PEERSUB#${peerId}#${peerSub}`;
const byPeerSession = (peerId: string, peerSid: string) => `PEERSID#${peerId}#${peerSid}`;

/**
 * Sessions in the identity table, indexed by account (gsi1) for "log out everywhere", and for
 * federated sessions by the peer's subject and session id, for the peer's back-channel logout.
 */
export function sessionRepository(tables: Tables) {
  const TableName = tables.name('identity');
  const appendTo = (attribute: string, sessionId: string, value: string) =>
    tables.client.send(
      new UpdateCommand({
        TableName,
        Key: sessionKey(sessionId),
        UpdateExpression: `SET #list = list_append(if_not_exists(#list, :empty), :value)`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#list': attribute },
        ExpressionAttributeValues: { ':empty': [], ':value': [value] },
      }),
    );

  return {
    /** opens a session (and its peer lookup items), failing if the id exists */
    async create(session: Session): Promise<void> {
      const lookups = session.federation
        ? [
            byPeerSubject(session.federation.peerId, session.federation.peerSub),
            ...(session.federation.peerSid ? [byPeerSession(session.federation.peerId, session.federation.peerSid)] : []),
          ]
        : [];
      await writeAll(tables, [
        {
          Put: {
            TableName,
            Item: { ...sessionKey(session.sessionId), gsi1pk: `ACCOUNT#${session.accountId}`, gsi1sk: `SESSION#${session.sessionId}`, type: 'session', ...session },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...lookups.map((pk) => ({
          Put: { TableName, Item: { pk, sk: `SESSION#${session.sessionId}`, type: 'session-lookup', sessionId: session.sessionId, expiresAt: session.expiresAt } },
        })),
      ]);
    },

    async get(sessionId: string): Promise<Session | undefined> {
      const { Item } = await tables.client.send(new GetCommand({ TableName, Key: sessionKey(sessionId), ConsistentRead: true }));
      return Item?.type === 'session' ? toSession(Item) : undefined;
    },

    /** the sessions of an account that are neither revoked nor expired */
    async listActive(accountId: string, now: Date): Promise<Session[]> {
      const items = await queryAll(tables, {
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :account AND begins_with(gsi1sk, :session)',
        ExpressionAttributeValues: { ':account': `ACCOUNT#${accountId}`, ':session': 'SESSION#' },
      });
      return items.filter((item) => !item.revokedAt && !isExpired(item, 'expiresAt', now)).map(toSession);
    },

    /** ids of the sessions federated from a peer, by the peer's session id or else its subject */
    async findFederated(peerId: string, by: { peerSid?: string; peerSub?: string }): Promise<string[]> {
      const pk = by.peerSid ? byPeerSession(peerId, by.peerSid) : by.peerSub ? byPeerSubject(peerId, by.peerSub) : undefined;
      if (!pk) return [];
      const page = await tables.client.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :session)', ExpressionAttributeValues: { ':pk': pk, ':session': 'SESSION#' } }),
      );
      return (page.Items ?? []).map((item) => item.sessionId as string);
    },

    /**
     * Replaces the refresh token if `expectedHash` is still the current one and the session is
     * live, keeping the old hash to recognise its reuse. false when another refresh won the race
     * or the session ended.
     */
    async rotateRefreshToken(sessionId: string, expectedHash: string, nextHash: string): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new UpdateCommand({
            TableName,
            Key: sessionKey(sessionId),
            UpdateExpression: 'SET refreshHash = :next, rotatedRefreshHashes = list_append(if_not_exists(rotatedRefreshHashes, :empty), :old)',
            ConditionExpression: 'refreshHash = :expected AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':next': nextHash, ':expected': expectedHash, ':old': [expectedHash], ':empty': [] },
          }),
        ),
      );
    },

    /**
     * The write that ends a session, for a transaction or on its own. Ending an ended session
     * keeps the first end; an id that is gone gets a short-lived marker instead of failing.
     */
    revocation(sessionId: string, at: Date, reason: string): TransactionItem {
      return {
        Update: {
          TableName,
          Key: sessionKey(sessionId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedReason = if_not_exists(revokedReason, :reason), expiresAt = if_not_exists(expiresAt, :ttl)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':reason': reason, ':ttl': Math.ceil(at.getTime() / 1000) + 24 * 3600 },
        },
      };
    },

    async revoke(sessionIds: readonly string[], at: Date, reason: string): Promise<void> {
      await Promise.all(sessionIds.map((sessionId) => tables.client.send(new UpdateCommand(this.revocation(sessionId, at, reason).Update!))));
    },

    async addChild(parentSessionId: string, childSessionId: string): Promise<void> {
      await appendTo('childSessionIds', parentSessionId, childSessionId);
    },

    async addPeer(sessionId: string, peerId: string): Promise<void> {
      await appendTo('peers', sessionId, peerId);
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;

function toSession(item: Record<string, unknown>): Session {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, type: _t, ...session } = item;
  return session as unknown as Session;
}

/** a session that is neither revoked nor past its lifetime */
export function isLive(session: Session | undefined, now: Date): session is Session {
  return session !== undefined && !session.revokedAt && !isExpired(session, 'expiresAt', now);
}
