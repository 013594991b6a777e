/**
 * The signed-in session. The access token lives only in this module (never in localStorage);
 * the refresh token is an httpOnly cookie scoped to `/v1/identity` that the page cannot read.
 */
import { api, setAuthHandlers } from './api.js';

export interface CurrentUser {
  sub: string;
  subjectType: string;
  level: number;
  roles: string[];
  agency?: string;
  region?: string;
  /** masked name from the profile, once loaded */
  name?: string;
}

interface TokenPair {
  accessToken: string;
  expiresIn: number;
}

interface OAuthTokenResponse {
  access_token: string;
  expires_in: number;
}

interface Profile {
  name: string;
  level: number;
}

const cookieDelivery = { 'X-Token-Delivery': 'cookie' };

let accessToken: string | undefined;
let user: CurrentUser | undefined;
let refreshing: Promise<boolean> | undefined;
const listeners = new Set<(user: CurrentUser | undefined) => void>();

function decodeClaims(token: string): CurrentUser {
  const payload = token.split('.')[1] ?? '';
  const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  return {
    sub: String(claims.sub ?? ''),
    subjectType: String(claims.subjectType ?? ''),
    level: Number(claims.level ?? 0),
    roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    ...(typeof claims.agency === 'string' ? { agency: claims.agency } : {}),
    ...(typeof claims.region === 'string' ? { region: claims.region } : {}),
  };
}

function emit(): void {
  for (const listener of listeners) listener(user);
}

function adopt(token: string | undefined): void {
  const previousName = user?.name;
  const previousSub = user?.sub;
  accessToken = token;
  user = token ? decodeClaims(token) : undefined;
  if (user && previousName && previousSub === user.sub) user.name = previousName;
  emit();
}

async function loadName(): Promise<void> {
  try {
    const profile = await api.get<Profile>('/v1/identity/me');
    if (user) {
      user = { ...user, name: profile.name, level: profile.level };
      emit();
    }
  } catch {
    // the name is only shown in the header; the session works without it
  }
}

async function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const answer = await api.post<OAuthTokenResponse>('/v1/identity/token', { grant_type: 'refresh_token' }, { anonymous: true, headers: cookieDelivery });
      adopt(answer.access_token);
      return true;
    } catch {
      adopt(undefined);
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

setAuthHandlers({ accessToken: () => accessToken, refresh });

export function currentUser(): CurrentUser | undefined {
  return user;
}

export function isStaff(who: CurrentUser | undefined = user): boolean {
  return Boolean(who?.roles.includes('staff') && who.agency);
}

/** Calls `listener` on every login, logout, refresh and profile load; returns the unsubscribe. */
export function onSessionChange(listener: (user: CurrentUser | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function openSession(body: Record<string, string>): Promise<CurrentUser> {
  const pair = await api.post<TokenPair>('/v1/identity/sessions', body, { anonymous: true, headers: cookieDelivery });
  adopt(pair.accessToken);
  await loadName();
  return user!;
}

export function login(username: string, password: string): Promise<CurrentUser> {
  return openSession({ username, password });
}

export function loginWithSms(phone: string, smsCode: string): Promise<CurrentUser> {
  return openSession({ phone, smsCode });
}

/** Asks for a one-time SMS code for login, registration or a level upgrade. */
export function sendSmsCode(phone: string, purpose: 'login' | 'register' | 'upgrade'): Promise<{ expiresIn: number }> {
  return api.post('/v1/identity/sms-codes', { phone, purpose }, { anonymous: true });
}

export async function logout(): Promise<void> {
  try {
    if (accessToken) await api.del('/v1/identity/sessions/current', { headers: cookieDelivery });
  } finally {
    adopt(undefined);
  }
}

/** On page load: trades the httpOnly refresh cookie (if any) for an access token. */
export async function restore(): Promise<CurrentUser | undefined> {
  if (await refresh()) await loadName();
  return user;
}

/** After a level upgrade the token still carries the old level: take a fresh one. */
export async function renew(): Promise<CurrentUser | undefined> {
  if (await refresh()) await loadName();
  return user;
}
