import type { Principal } from '../auth/principal.js';
import { forbidden, unauthenticated } from '../errors.js';

/** A caller acting for themselves in a login session: the only one who may manage an account. */
export type AccountHolder = Principal & { readonly sessionId: string };

/**
 * The caller as the holder of the account, or 403: a delegate's token (act claim) may use the
 * delegated items but never manage the principal's account, logins, levels or delegations, and
 * platform tokens have no account holder behind them.
 */
export function accountHolder(principal: Principal | undefined): AccountHolder {
  if (!principal) throw unauthenticated();
  if (principal.actor) throw forbidden('A delegated token cannot manage the account it acts for', 'delegated_token_not_allowed');
  if (!principal.sessionId || principal.subjectType === 'platform') throw forbidden('This needs a signed-in account holder', 'session_required');
  return principal as AccountHolder;
}
