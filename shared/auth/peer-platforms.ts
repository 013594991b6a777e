import type { RealNameLevel } from './principal.js';

/**
 * A peer platform we trust for trust transfer (GB/T 39047 6.3.2 b): the national platform, a
 * regional or a departmental one. Its tokens are accepted only through token exchange; ours are
 * exchanged for its audience the same way.
 */
export interface PeerPlatform {
  /** our name for the peer; also its client id when it authenticates with private_key_jwt */
  readonly id: string;
  /** `iss` of the peer's tokens */
  readonly issuer: string;
  /** where the peer publishes the keys that verify its tokens */
  readonly jwksUri: string;
  /** the audience a token exchanged for this peer carries; the only one that may be asked for it */
  readonly audience: string;
  /** the highest real-name level we accept from this peer: higher assertions are capped */
  readonly maxLevel: RealNameLevel;
  /** whether a subject unknown here gets a federated account on first exchange */
  readonly allowFederatedAccounts: boolean;
  /** where the peer takes OIDC back-channel logout tokens; without it the peer is not notified */
  readonly backchannelLogoutUri?: string;
}

/**
 * true for an https URL, or an http URL on the loopback interface (the local runtime and tests).
 * Peer keys and logout notifications never travel in clear over a network.
 */
export function isSafePeerUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Reads the peer list (PEER_PLATFORMS, a JSON array) and checks every entry, so a bad
 * configuration fails the cold start with a message naming the entry and field.
 */
export function parsePeerPlatforms(raw: string | undefined, source = 'PEER_PLATFORMS'): PeerPlatform[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`configuration: ${source} is not valid JSON`);
  }
  if (!Array.isArray(value)) throw new Error(`configuration: ${source} must be a JSON array`);
  const peers = value.map((entry, index) => checkPeer(entry, `${source}[${index}]`));
  for (const key of ['id', 'issuer'] as const) {
    const seen = new Set<string>();
    for (const peer of peers) {
      if (seen.has(peer[key])) throw new Error(`configuration: ${source} lists the ${key} ${peer[key]} twice`);
      seen.add(peer[key]);
    }
  }
  return peers;
}

function checkPeer(entry: unknown, where: string): PeerPlatform {
  if (typeof entry !== 'object' || entry === null) throw new Error(`configuration: ${where} must be an object`);
  const e = entry as Record<string, unknown>;
  const fail = (field: string, rule: string): never => {
    throw new Error(`configuration: ${where}.${field} ${rule}`);
  };
  const text = (field: string) => (typeof e[field] === 'string' && (e[field] as string).length > 0 ? (e[field] as string) : fail(field, 'must be a non-empty string'));
  const url = (field: string) => (isSafePeerUrl(text(field)) ? (e[field] as string) : fail(field, 'must be an https URL (http only on the loopback interface)'));

  const id = text('id');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) fail('id', 'must be lower-case letters, digits and dashes');
  const issuer = url('issuer');
  const jwksUri = url('jwksUri');
  const audience = text('audience');
  const maxLevel = e.maxLevel;
  if (typeof maxLevel !== 'number' || !Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > 5) fail('maxLevel', 'must be a whole number from 1 to 5');
  if (typeof e.allowFederatedAccounts !== 'boolean') fail('allowFederatedAccounts', 'must be true or false');
  const backchannelLogoutUri = e.backchannelLogoutUri === undefined ? undefined : url('backchannelLogoutUri');
  return {
    id,
    issuer,
    jwksUri,
    audience,
    maxLevel: maxLevel as RealNameLevel,
    allowFederatedAccounts: e.allowFederatedAccounts as boolean,
    ...(backchannelLogoutUri ? { backchannelLogoutUri } : {}),
  };
}
