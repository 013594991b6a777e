import type { Principal } from '../auth/principal.js';
import { forbidden } from '../errors.js';
import type { ExchangePlatform, PlatformRepository } from './platform-repository.js';

/** Who is asking, as the exchange sees it: an administrator, a registered platform, or neither. */
export interface ExchangeCaller {
  readonly principal: Principal;
  readonly admin: boolean;
  readonly platform?: ExchangePlatform;
}

/** Resolves the caller: administrators by role, platforms by the account their token names. */
export async function exchangeCaller(deps: { platformRegistry: PlatformRepository }, principal: Principal): Promise<ExchangeCaller> {
  const admin = principal.roles.includes('admin');
  const platform = principal.subjectType === 'platform' ? await deps.platformRegistry.findByAccount(principal.sub) : undefined;
  return { principal, admin, ...(platform ? { platform } : {}) };
}

/** A source's batches, reports and quarantine are read by administrators and by the source itself (403 otherwise). */
export function assertMayActForSource(caller: ExchangeCaller, source: string): void {
  if (caller.admin || caller.platform?.platformId === source) return;
  throw forbidden('Only administrators and the source platform may see or act on its exchange data', 'not_your_source');
}

/** how a close or a fix is recorded: who did it, without personal data */
export function actorOf(caller: ExchangeCaller): string {
  return caller.platform ? `platform:${caller.platform.platformId}` : `admin:${caller.principal.sub}`;
}

/** the source a request means: the one it names, else the caller's own platform */
export function sourceOf(caller: ExchangeCaller, named: string | undefined): string | undefined {
  return named ?? caller.platform?.platformId;
}
