import { createHash } from 'node:crypto';

/**
 * A stable pseudonym of an account, case or certificate for analysis: the same value always gives the same
 * key (so recommendations, follows and case steps can be joined), and the purpose is part of the
 * hash, so keys of different purposes cannot be matched with each other.
 */
export function pseudonymousKey(purpose: 'user' | 'case' | 'certificate', value: string): string {
  return createHash('sha256').update(`analytics#${purpose}#${value}`).digest('base64url').slice(0, 22);
}
