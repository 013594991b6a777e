import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { AttemptCounters } from './attempt-counters.js';
import type { AuditSubject, IdentityAuditTrail } from './audit-trail.js';

/** 10 failed logins within 15 minutes lock the account for 15 minutes. */
export const LOGIN_FAILURES = { max: 10, windowSeconds: 15 * 60 } as const;
export const LOCKOUT_SECONDS = 15 * 60;

const keyOf = (subject: AuditSubject) =>
  'accountId' in subject ? `login-failures#account#${subject.accountId}` : `login-failures#name#${subject.loginName.kind}#${subject.loginName.hash}`;

/** the 429 a locked account gets, whoever asks and whatever they send */
export const accountLocked = (until: Date, now: Date) =>
  new AppError('rate_limited', 'account_locked', 'Too many failed logins: this account is locked for a while', {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  });

/**
 * Lockout after repeated failed logins (passwords, SMS codes, client secrets). Failures are
 * counted per account, or per login name when no account holds it, so a locked unknown name
 * answers exactly like a locked account and reveals nothing about who is registered.
 */
export function loginLockout(deps: { counters: AttemptCounters; audit: IdentityAuditTrail; clock: Clock }) {
  return {
    /** 429 account_locked while a lock is in force */
    async assertNotLocked(subject: AuditSubject): Promise<void> {
      const now = deps.clock.now();
      const until = await deps.counters.lockedUntil(keyOf(subject), now);
      if (until) throw accountLocked(until, now);
    },

    /** counts a failure and audits it; the failure that reaches the limit locks the account */
    async recordFailure(subject: AuditSubject, context: { sourceIp: string; method: string }): Promise<void> {
      const now = deps.clock.now();
      const { count } = await deps.counters.hit(keyOf(subject), LOGIN_FAILURES, now);
      const actor = 'accountId' in subject ? subject.accountId : 'anonymous';
      await deps.audit.append(subject, { action: 'login-failed', actor, at: now.toISOString(), sourceIp: context.sourceIp, outcome: 'failure', details: { method: context.method } });
      if (count >= LOGIN_FAILURES.max) {
        await deps.counters.lock(keyOf(subject), new Date(now.getTime() + LOCKOUT_SECONDS * 1000));
        await deps.audit.append(subject, { action: 'account-locked', actor, at: now.toISOString(), sourceIp: context.sourceIp, outcome: 'success', details: { lockSeconds: LOCKOUT_SECONDS } });
      }
    },

    async recordSuccess(subject: AuditSubject): Promise<void> {
      await deps.counters.reset(keyOf(subject));
    },
  };
}

export type LoginLockout = ReturnType<typeof loginLockout>;
