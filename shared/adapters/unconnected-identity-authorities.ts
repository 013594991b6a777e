import { AppError } from '../errors.js';
import type { IdentityAuthorities } from '../ports/identity-authorities.js';

/**
 * The verification authorities of a deployment that has not been connected to them yet. Each
 * authority (public security, social security, market regulation, liveness, NFC) is reached
 * under an agreement with its agency; until its adapter is plugged in behind the port, every
 * check answers 503 rather than pretending, so no level is ever raised without real evidence.
 */
export function unconnectedIdentityAuthorities(): IdentityAuthorities {
  const unavailable = (authority: string) => ({
    verify: async (): Promise<never> => {
      throw new AppError('unavailable', 'authority_not_connected', `The ${authority} authority is not connected to this deployment`);
    },
  });
  return {
    idCard: unavailable('public security (ID card)'),
    socialSecurity: unavailable('social security'),
    liveness: unavailable('face liveness'),
    nfcReader: unavailable('ID card reader'),
    marketRegulation: unavailable('market regulation'),
  };
}
