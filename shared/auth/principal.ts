import type { RouteAuth } from '../../infra/manifest.js';
import { forbidden, unauthenticated } from '../errors.js';

export type SubjectType = 'natural' | 'legal' | 'organization' | 'staff' | 'platform';
export type RealNameLevel = 1 | 2 | 3 | 4 | 5;

/** Who is calling, as proven by a verified access token. What use cases see of auth. */
export interface Principal {
  readonly sub: string;
  readonly subjectType: SubjectType;
  /** real-name level 1–5 (GB/T 39047 table 1); platforms carry the level they were granted */
  readonly level: RealNameLevel;
  readonly roles: readonly string[];
  /** agency id of staff */
  readonly agency?: string;
  /** GB/T 2260 code of the region the subject registered in (search and guides default to it) */
  readonly region?: string;
  /** session id; revoked sessions are refused */
  readonly sessionId?: string;
  /** RFC 8176 authentication methods */
  readonly amr: readonly string[];
  /** the delegate acting for this subject (RFC 8693 act claim) */
  readonly actor?: { readonly sub: string };
  /** what the actor may do for the subject: the delegation and its item codes or scopes */
  readonly delegation?: { readonly id: string; readonly itemCodes: readonly string[]; readonly scope: readonly string[] };
  readonly tokenId?: string;
}

/** Turns a bearer token into a principal, or throws an unauthenticated error. */
export interface PrincipalVerifier {
  verify(token: string): Promise<Principal>;
}

/**
 * Checks a route's requirement from the manifest against the caller.
 * 1. anonymous routes pass; every other route needs a principal (401);
 * 2. role and subject-type requirements (403);
 * 3. minimum real-name level for user routes (403 level_too_low).
 */
export function authorize(auth: RouteAuth, principal: Principal | undefined): void {
  if (auth.require === 'anonymous') return;
  if (!principal) throw unauthenticated();
  switch (auth.require) {
    case 'user':
      if (principal.subjectType === 'platform') throw forbidden('This route is for signed-in users');
      if (auth.minLevel && principal.level < auth.minLevel) {
        throw forbidden(`Real-name level ${auth.minLevel} is required; yours is ${principal.level}`, 'level_too_low');
      }
      return;
    case 'staff':
      if (!principal.roles.includes('staff') || !principal.agency) throw forbidden('Agency staff only');
      return;
    case 'platform':
      if (principal.subjectType !== 'platform') throw forbidden('Registered platforms only');
      return;
    case 'signed-in':
      return;
    case 'analytics':
      if (!principal.roles.includes('admin') && !principal.roles.includes('analyst')) throw forbidden('Administrators and authorised analysts only');
      return;
    default:
      if (!principal.roles.includes(auth.require)) throw forbidden(`The ${auth.require} role is required`);
  }
}
