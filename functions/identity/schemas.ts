import * as z from 'zod/mini';
import { ID_TYPES, idNumberProblem, type IdType } from '../../shared/codes/id-documents.js';
import { mobileProblem, normalizeMobile } from '../../shared/codes/phone.js';
import { residentIdProblem } from '../../shared/codes/resident-id.js';
import { usccProblem } from '../../shared/codes/uscc.js';
import type { OperationSchemas } from '../../shared/http/api-handler.js';
import { isoDateTime, ulidId } from '../../shared/http/common-schemas.js';
import { DELEGATION_SCOPES } from '../../shared/identity/delegations.js';
import { TOKEN_TYPE_ACCESS, TOKEN_TYPE_JWT } from '../../shared/identity/token-types.js';
import { passwordProblem } from '../../shared/identity/password-policy.js';

/** a check that reports what a `problem` function says is wrong with the value */
const satisfies = <T>(problem: (value: T) => string | undefined) =>
  z.superRefine<T>((value, ctx) => {
    const found = problem(value);
    if (found) ctx.addIssue({ code: 'custom', message: found, input: value });
  });

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const upperCode = (max: number) => z.string().check(z.trim(), z.toUpperCase(), z.minLength(1), z.maxLength(max));

const personName = text(64);
const organisationName = text(200);
const phone = z.string().check(z.maxLength(20), z.overwrite(normalizeMobile), satisfies(mobileProblem));
const residentId = upperCode(18).check(satisfies((value: string) => residentIdProblem(value)));
const uscc = upperCode(18).check(satisfies(usccProblem));
const email = z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email());
const password = z.string().check(z.minLength(1), z.maxLength(1024));
const smsCode = z.string().check(z.regex(/^\d{6}$/, 'must be the 6 digits of the SMS'));

/** the password rules, which also look at the phone and ID number of the same request */
const passwordRules = z.superRefine<{ password?: unknown; phone?: unknown; idNumber?: unknown; representative?: unknown }>(
  (value, ctx) => {
    if (typeof value !== 'object' || value === null || typeof value.password !== 'string') return;
    const personal = [value.phone, value.idNumber, (value.representative as { idNumber?: unknown } | undefined)?.idNumber].filter((v): v is string => typeof v === 'string');
    const problem = passwordProblem(value.password, personal);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem, input: value.password });
  },
  { when: () => true },
);

const naturalRegistration = z
  .strictObject({
    type: z.literal('natural'),
    name: personName,
    idType: z.enum(ID_TYPES),
    idNumber: upperCode(32),
    phone,
    email: z.optional(email),
    password,
    smsCode: z.optional(smsCode),
  })
  .check(
    z.superRefine(
      (value, ctx) => {
        if (typeof value?.idNumber !== 'string' || !ID_TYPES.includes(value.idType)) return;
        const problem = idNumberProblem(value.idType as IdType, value.idNumber);
        if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem, input: value.idNumber });
      },
      { when: () => true },
    ),
  );

const organisationRegistration = z.strictObject({
  type: z.enum(['legal', 'organization']),
  name: organisationName,
  uscc,
  representative: z.strictObject({ name: personName, idNumber: residentId }),
  phone,
  email: z.optional(email),
  password,
  smsCode: z.optional(smsCode),
});

/** `X-Token-Delivery: cookie`: the refresh token travels in an httpOnly cookie, not in the body (browsers) */
const tokenDelivery = z.object({
  'x-token-delivery': z.optional(
    z.enum(['cookie']).check(
      z.describe('cookie: the refresh token is set as the httpOnly cookie __Secure-gsp-refresh (Path=/v1/identity, SameSite=Strict) and left out of the body; a refresh then reads it from the cookie'),
    ),
  ),
});

const tokenPair = z.object({
  accessToken: z.string(),
  /** absent with cookie delivery */
  refreshToken: z.optional(z.string()),
  expiresIn: z.number(),
  tokenType: z.literal('Bearer'),
});

/** OAuth 2.0 token response (RFC 6749 5.1, RFC 8693 2.2.1) */
const oauthTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.enum(['Bearer', 'N_A']),
  expires_in: z.number(),
  refresh_token: z.optional(z.string()),
  issued_token_type: z.optional(z.string()),
});

const idCardValidity = z.string().check(z.regex(/^(长期|\d{4}-\d{2}-\d{2})$/, 'must be a date YYYY-MM-DD or 长期'));
const itemCode = z.string().check(z.regex(/^[A-Z0-9][A-Z0-9-]{2,63}$/, 'must be an item code such as SC-XK-0001'));

const delegationView = z.object({
  delegationId: z.string(),
  state: z.enum(['offered', 'accepted', 'revoked', 'expired']),
  role: z.enum(['principal', 'delegate']),
  principal: z.object({ name: z.string(), subjectType: z.string() }),
  delegate: z.object({ idNumber: z.optional(z.string()), uscc: z.optional(z.string()) }),
  itemCodes: z.optional(z.array(z.string())),
  scope: z.optional(z.array(z.string())),
  validUntil: z.string(),
  createdAt: z.string(),
  acceptedAt: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
});

/** exactly one of two alternative fields */
const oneOf = (a: string, b: string) =>
  z.superRefine<Record<string, unknown>>(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null) return;
      const count = [a, b].filter((key) => value[key] !== undefined).length;
      if (count !== 1) ctx.addIssue({ code: 'custom', path: [a], message: `give either ${a} or ${b}, not ${count === 0 ? 'neither' : 'both'}`, input: value[a] });
    },
    { when: () => true },
  );

export const identitySchemas = {
  register: {
    status: 201,
    body: z.discriminatedUnion('type', [naturalRegistration, organisationRegistration]).check(passwordRules),
    response: z.object({
      accountId: z.string(),
      subjectType: z.enum(['natural', 'legal', 'organization']),
      level: z.number(),
      verifiedMethods: z.array(z.string()),
    }),
  },
  sendSmsCode: {
    status: 202,
    body: z.strictObject({ phone, purpose: z.enum(['register', 'login', 'upgrade']) }),
    response: z.object({ expiresIn: z.number() }),
  },
  createSession: {
    status: 201,
    headers: tokenDelivery,
    body: z
      .strictObject({
        username: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
        password: z.optional(password),
        phone: z.optional(phone),
        smsCode: z.optional(smsCode),
      })
      .check(
        z.superRefine(
          (value, ctx) => {
            if (typeof value !== 'object' || value === null) return;
            const bySms = value.phone !== undefined || value.smsCode !== undefined;
            const required = bySms ? (['phone', 'smsCode'] as const) : (['username', 'password'] as const);
            const forbidden = bySms ? (['username', 'password'] as const) : [];
            for (const key of required) if (value[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required', input: undefined });
            for (const key of forbidden) if (value[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'log in with username and password, or with phone and smsCode', input: value[key] });
          },
          { when: () => true },
        ),
      ),
    response: tokenPair,
  },
  issueToken: {
    headers: tokenDelivery,
    body: z.discriminatedUnion('grant_type', [
      // without refresh_token only with cookie delivery, where the cookie carries it
      z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.optional(z.string().check(z.minLength(1), z.maxLength(512))) }),
      z.object({
        grant_type: z.literal('urn:ietf:params:oauth:grant-type:token-exchange'),
        subject_token: z.string().check(z.minLength(1), z.maxLength(16384)),
        subject_token_type: z.enum([TOKEN_TYPE_ACCESS, TOKEN_TYPE_JWT]),
        audience: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
        delegation_id: z.optional(ulidId),
      }),
      z.object({
        grant_type: z.literal('client_credentials'),
        client_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
        client_secret: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
        client_assertion_type: z.optional(z.literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')),
        client_assertion: z.optional(z.string().check(z.minLength(1), z.maxLength(16384))),
      }),
    ]),
    response: oauthTokenResponse,
  },
  endCurrentSession: { headers: tokenDelivery, response: z.object({ sessionsEnded: z.number() }) },
  logoutEverywhere: { response: z.object({ sessionsEnded: z.number(), peersNotified: z.array(z.string()) }) },
  receiveBackchannelLogout: {
    body: z.object({ logout_token: z.string().check(z.minLength(1), z.maxLength(16384)) }),
    response: z.object({ sessionsEnded: z.number() }),
  },
  getMe: {
    response: z.object({
      accountId: z.string(),
      subjectType: z.string(),
      name: z.string(),
      level: z.number(),
      verifiedMethods: z.array(z.string()),
      roles: z.array(z.string()),
      agency: z.optional(z.string()),
      region: z.optional(z.string()),
      idType: z.optional(z.string()),
      idNumber: z.optional(z.string()),
      uscc: z.optional(z.string()),
      phone: z.optional(z.string()),
      email: z.optional(z.string()),
      representative: z.optional(z.object({ name: z.string(), idNumber: z.string() })),
      federatedFrom: z.optional(z.string()),
      createdAt: z.string(),
    }),
  },
  deregister: { response: z.object({ accountId: z.string(), deregisteredAt: z.string() }) },
  upgradeLevel: {
    body: z.discriminatedUnion('method', [
      z.strictObject({ method: z.literal('sms'), evidence: z.strictObject({ smsCode }) }),
      z.strictObject({ method: z.literal('id-card'), evidence: z.strictObject({ name: personName, idNumber: residentId, validUntil: idCardValidity }) }),
      z.strictObject({
        method: z.literal('social-security'),
        evidence: z.strictObject({
          name: personName,
          idNumber: residentId,
          regionCode: z.string().check(z.regex(/^[1-9]\d{5}$/, 'must be a 6-digit region code')),
          ssNumber: upperCode(32),
        }),
      }),
      z.strictObject({ method: z.literal('face'), evidence: z.strictObject({ livenessToken: text(256) }) }),
      z.strictObject({ method: z.literal('id-reader'), evidence: z.strictObject({ nfcToken: text(256) }) }),
    ]),
    response: z.object({ level: z.number(), previousLevel: z.number(), verifiedMethods: z.array(z.string()) }),
  },
  createDelegation: {
    status: 201,
    body: z
      .strictObject({
        delegateIdNumber: z.optional(residentId),
        delegateUscc: z.optional(uscc),
        itemCodes: z.optional(z.array(itemCode).check(z.minLength(1), z.maxLength(50))),
        scope: z.optional(z.array(z.enum(DELEGATION_SCOPES)).check(z.minLength(1), z.maxLength(DELEGATION_SCOPES.length))),
        validUntil: isoDateTime,
      })
      .check(oneOf('delegateIdNumber', 'delegateUscc'), oneOf('itemCodes', 'scope')),
    response: delegationView,
  },
  listDelegations: { response: z.object({ granted: z.array(delegationView), received: z.array(delegationView) }) },
  getDelegation: { params: z.object({ id: ulidId }), response: delegationView },
  revokeDelegation: { params: z.object({ id: ulidId }), response: delegationView },
  acceptDelegation: { params: z.object({ id: ulidId }), response: delegationView },
} as const satisfies OperationSchemas<'identity'>;
