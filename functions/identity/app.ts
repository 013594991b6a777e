import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { getProfile } from '../../shared/identity/get-profile.js';
import { loginWithPassword } from '../../shared/identity/login-with-password.js';
import { sessionRepository } from '../../shared/identity/session-repository.js';
import { personalDataProtector } from '../../shared/privacy/personal-data.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { identitySchemas } from './schemas.js';

/** Unified identity (GB/T 39047 6.1.2, 6.1.3, 6.3.2). */
export type IdentityDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault'>;

export function createHandler(deps: IdentityDependencies): ApiHandler {
  const accounts = accountRepository(deps.tables);
  const login = {
    accounts,
    sessions: sessionRepository(deps.tables),
    personalData: personalDataProtector({ vault: deps.vault, dataKeyId: deps.keyIds.data, lookupKeyId: deps.keyIds.lookupHash }),
    vault: deps.vault,
    tokenKeys: deps.tokenKeys,
    clock: deps.clock,
    settings: { issuer: deps.config.issuer, audience: deps.config.audience, ttlSeconds: deps.config.accessTokenTtlSeconds },
  };

  return createApiHandler(
    'identity',
    identitySchemas,
    deps,
    {
      createSession: async ({ body, sourceIp }) => {
        const { sessionId: _sessionId, ...tokens } = await loginWithPassword(login, { ...body, sourceIp });
        return { body: tokens };
      },
      getMe: async ({ principal }) => ({ body: await getProfile({ accounts }, { accountId: principal!.sub }) }),
    },
  );
}
