import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { accountHolder } from '../../shared/identity/account-holder.js';
import { createDelegation } from '../../shared/identity/create-delegation.js';
import { deregisterAccount } from '../../shared/identity/deregister-account.js';
import { endCurrentSession, logoutEverywhere } from '../../shared/identity/end-sessions.js';
import { exchangeToken } from '../../shared/identity/exchange-token.js';
import { getProfile } from '../../shared/identity/get-profile.js';
import { identityServices } from '../../shared/identity/identity-services.js';
import { issuePlatformToken } from '../../shared/identity/issue-platform-token.js';
import { loginWithPassword } from '../../shared/identity/login-with-password.js';
import { loginWithSmsCode } from '../../shared/identity/login-with-sms-code.js';
import { acceptDelegation, getDelegation, listDelegations, revokeDelegation } from '../../shared/identity/manage-delegations.js';
import { receiveBackchannelLogout } from '../../shared/identity/receive-backchannel-logout.js';
import { refreshSession } from '../../shared/identity/refresh-session.js';
import { registerAccount } from '../../shared/identity/register-account.js';
import { sendSmsCode } from '../../shared/identity/sms-codes.js';
import { upgradeLevel } from '../../shared/identity/upgrade-level.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { clientAuthenticationOf } from './client-authentication.js';
import { REFRESH_COOKIE, clearedRefreshCookie, refreshCookie, refreshTokenOf, wantsCookieDelivery } from './refresh-cookie.js';
import { identitySchemas } from './schemas.js';
import { identityFunction } from '../../infra/manifest.js';

/** Unified identity (GB/T 39047 6.1.2, 6.1.3, 6.3.2, 6.1.10 h/j/k). */
export type IdentityDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'vault' | 'queues' | 'authorities'>;

export function createHandler(deps: IdentityDependencies): ApiHandler {
  const services = identityServices(deps);

  return createApiHandler(identityFunction, identitySchemas, deps, {
    register: async ({ body, sourceIp }) => ({ body: await registerAccount(services, { ...body, sourceIp }) }),

    sendSmsCode: async ({ body }) => ({ body: await sendSmsCode(services, body) }),

    createSession: async ({ body, headers, sourceIp }) => {
      const { sessionId: _sessionId, refreshExpiresIn, refreshToken, ...tokens } =
        body.phone !== undefined
          ? await loginWithSmsCode(services, { phone: body.phone, smsCode: body.smsCode!, sourceIp })
          : await loginWithPassword(services, { username: body.username!, password: body.password!, sourceIp });
      if (wantsCookieDelivery(headers)) return { body: tokens, cookies: [refreshCookie(refreshToken, refreshExpiresIn)] };
      return { body: { ...tokens, refreshToken } };
    },

    issueToken: async ({ body, headers, cookies, sourceIp }) => {
      switch (body.grant_type) {
        case 'refresh_token': {
          const refreshed = await refreshSession(services, { refreshToken: refreshTokenOf({ headers, cookies, bodyToken: body.refresh_token }), sourceIp });
          const accessToken = { access_token: refreshed.accessToken, token_type: 'Bearer' as const, expires_in: refreshed.expiresIn };
          if (wantsCookieDelivery(headers)) return { body: accessToken, cookies: [refreshCookie(refreshed.refreshToken, refreshed.refreshExpiresIn)] };
          return { body: { ...accessToken, refresh_token: refreshed.refreshToken } };
        }
        case 'urn:ietf:params:oauth:grant-type:token-exchange': {
          const exchanged = await exchangeToken(services, {
            subjectToken: body.subject_token,
            sourceIp,
            ...(body.audience !== undefined ? { audience: body.audience } : {}),
            ...(body.delegation_id !== undefined ? { delegationId: body.delegation_id } : {}),
          });
          return {
            body: {
              access_token: exchanged.accessToken,
              token_type: exchanged.tokenType,
              expires_in: exchanged.expiresIn,
              issued_token_type: exchanged.issuedTokenType,
              ...(exchanged.refreshToken ? { refresh_token: exchanged.refreshToken } : {}),
            },
          };
        }
        case 'client_credentials': {
          const issued = await issuePlatformToken(services, { ...clientAuthenticationOf(headers.authorization, body), sourceIp });
          return { body: { access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn } };
        }
      }
    },

    endCurrentSession: async ({ principal, headers, cookies, sourceIp }) => {
      const ended = await endCurrentSession(services, { caller: principal!, sourceIp });
      return wantsCookieDelivery(headers) || REFRESH_COOKIE in cookies ? { body: ended, cookies: [clearedRefreshCookie()] } : { body: ended };
    },

    logoutEverywhere: async ({ principal, sourceIp }) => ({ body: await logoutEverywhere(services, { caller: accountHolder(principal), sourceIp }) }),

    receiveBackchannelLogout: async ({ body, sourceIp }) => ({ body: await receiveBackchannelLogout(services, { logoutToken: body.logout_token, sourceIp }) }),

    getMe: async ({ principal }) => ({ body: await getProfile(services, { accountId: principal!.sub }) }),

    deregister: async ({ principal, sourceIp }) => ({ body: await deregisterAccount(services, { caller: accountHolder(principal), sourceIp }) }),

    upgradeLevel: async ({ body, principal, sourceIp }) => ({ body: await upgradeLevel(services, { ...body, caller: accountHolder(principal), sourceIp }) }),

    createDelegation: async ({ body, principal, sourceIp }) => {
      const delegate = body.delegateUscc !== undefined ? { delegateUscc: body.delegateUscc } : { delegateIdNumber: body.delegateIdNumber! };
      const items = body.itemCodes !== undefined ? { itemCodes: body.itemCodes } : { scope: body.scope! };
      return { body: await createDelegation(services, { caller: accountHolder(principal), validUntil: body.validUntil, sourceIp, ...delegate, ...items }) };
    },

    listDelegations: async ({ principal }) => ({ body: await listDelegations(services, { caller: accountHolder(principal) }) }),

    getDelegation: async ({ params, principal }) => ({ body: await getDelegation(services, { caller: accountHolder(principal), delegationId: params.id }) }),

    revokeDelegation: async ({ params, principal, sourceIp }) => ({
      body: await revokeDelegation(services, { caller: accountHolder(principal), delegationId: params.id, sourceIp }),
    }),

    acceptDelegation: async ({ params, principal, sourceIp }) => ({
      body: await acceptDelegation(services, { caller: accountHolder(principal), delegationId: params.id, sourceIp }),
    }),
  });
}
