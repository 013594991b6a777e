import { readFile } from 'node:fs/promises';
import type { AuthorityVerdict, IdentityAuthorities } from '../../ports/identity-authorities.js';
import type { Clock } from '../../ports/clock.js';

/** The synthetic people and organisations the simulated authorities know (test/fixtures/identity/registry.json). */
export interface IdentityRegistry {
  readonly people: readonly {
    readonly name: string;
    readonly idNumber: string;
    /** YYYY-MM-DD or 长期 */
    readonly idValidUntil: string;
    readonly socialSecurityRegion: string;
    readonly socialSecurityNumber: string;
    readonly livenessToken: string | null;
    readonly nfcToken: string | null;
  }[];
  readonly organizations: readonly { readonly name: string; readonly uscc: string; readonly region: string }[];
}

/** the registry the local runtime and the tests use */
export const DEFAULT_IDENTITY_REGISTRY_URL = new URL('../../../test/fixtures/identity/registry.json', import.meta.url);

export async function loadIdentityRegistry(location: URL | string = DEFAULT_IDENTITY_REGISTRY_URL): Promise<IdentityRegistry> {
  return JSON.parse(await readFile(location, 'utf8')) as IdentityRegistry;
}

const CONFIRMED: AuthorityVerdict = { confirmed: true };
const refused = (reason: 'no-match' | 'expired' | 'unknown-token'): AuthorityVerdict => ({ confirmed: false, reason });
const LONG_TERM = '长期';

/**
 * Simulated verification authorities for the local runtime and tests: every answer comes from
 * the registry, anything not in it is refused, and nothing leaves the machine. The production
 * composition puts each agency's real service behind the same ports.
 */
export function simulatedIdentityAuthorities(registry: IdentityRegistry, clock: Clock): IdentityAuthorities {
  const person = (idNumber: string, name: string) => registry.people.find((p) => p.idNumber === idNumber.toUpperCase() && p.name === name);
  return {
    idCard: {
      async verify({ name, idNumber, validUntil }) {
        const found = person(idNumber, name);
        if (!found || found.idValidUntil !== validUntil) return refused('no-match');
        if (validUntil !== LONG_TERM && new Date(`${validUntil}T23:59:59+08:00`) < clock.now()) return refused('expired');
        return CONFIRMED;
      },
    },
    socialSecurity: {
      async verify({ name, idNumber, regionCode, ssNumber }) {
        const found = person(idNumber, name);
        return found && found.socialSecurityRegion === regionCode && found.socialSecurityNumber === ssNumber ? CONFIRMED : refused('no-match');
      },
    },
    liveness: {
      async verify({ name, idNumber, livenessToken }) {
        if (!registry.people.some((p) => p.livenessToken === livenessToken)) return refused('unknown-token');
        return person(idNumber, name)?.livenessToken === livenessToken ? CONFIRMED : refused('no-match');
      },
    },
    nfcReader: {
      async verify({ name, idNumber, nfcToken }) {
        if (!registry.people.some((p) => p.nfcToken === nfcToken)) return refused('unknown-token');
        return person(idNumber, name)?.nfcToken === nfcToken ? CONFIRMED : refused('no-match');
      },
    },
    marketRegulation: {
      async verify({ uscc, name }) {
        return registry.organizations.some((o) => o.uscc === uscc.toUpperCase() && o.name === name) ? CONFIRMED : refused('no-match');
      },
    },
  };
}
