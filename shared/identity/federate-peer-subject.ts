import type { RealNameLevel, SubjectType } from '../auth/principal.js';
import { InvalidTokenError } from '../auth/token-verifier.js';
import { idNumberProblem, ID_TYPES, normalizeIdNumber, type IdType } from '../codes/id-documents.js';
import { normalizeUscc, usccProblem } from '../codes/uscc.js';
import { AppError } from '../errors.js';
import { idDocumentClaim, createAccount } from './create-account.js';
import type { Account } from './account-repository.js';
import type { IdentityServices } from './identity-services.js';
import { openSession, type OpenedSession } from './open-session.js';
import { invalidGrant } from './refresh-session.js';

const PEER_SUBJECT_TYPES: readonly SubjectType[] = ['natural', 'legal', 'organization'];

/** What we read from a peer's token: who the person or organisation is, and how well the peer knows it. */
interface PeerAssertion {
  readonly peerSub: string;
  readonly peerSid?: string;
  readonly subjectType: 'natural' | 'legal' | 'organization';
  readonly name?: string;
  readonly idType?: IdType;
  readonly idNumber?: string;
  readonly uscc?: string;
  readonly level: RealNameLevel;
  readonly amr: readonly string[];
}

/**
 * Trust transfer in (GB/T 39047 6.3.2 b): a peer platform's token becomes a session here.
 * 1. verify the token with aws-jwt-verify against the peer's JWKS (issuer, audience = us, exp);
 * 2. read the subject: an ID number (with its document type) or a USCC, which must be valid;
 * 3. find our account by the keyed hash of that number; if there is none, create a federated
 *    account (no password, level as asserted and capped) when the peer is allowed to, else refuse;
 * 4. open a session at the level the peer asserted, capped by our trust in the peer (maxLevel),
 *    with amr "fed" plus the peer's methods, remembering the peer's subject and session id
 *    for its back-channel logout; audit the exchange.
 */
export async function federatePeerSubject(
  deps: Pick<IdentityServices, 'peerTokens' | 'accounts' | 'sessions' | 'personalData' | 'audit' | 'vault' | 'tokenKeys' | 'clock' | 'settings'>,
  input: { subjectToken: string; sourceIp: string },
): Promise<OpenedSession> {
  const { peer, claims } = await deps.peerTokens.verify(input.subjectToken).catch((error: unknown) => {
    if (error instanceof InvalidTokenError) throw invalidGrant(`The subject token is not valid (${error.reason})`);
    throw error;
  });
  const assertion = readAssertion(claims as Record<string, unknown>);
  const level = Math.min(assertion.level, peer.maxLevel) as RealNameLevel;
  const lookup = assertion.uscc ? { kind: 'uscc' as const, value: assertion.uscc } : idDocumentClaim(assertion.idType ?? 'resident-id', assertion.idNumber!);
  const claim = { kind: lookup.kind, hash: await deps.personalData.lookupHash(lookup.kind, lookup.value) };

  let account: Account | undefined = await deps.accounts.findByClaim(claim);
  if (!account) {
    if (!peer.allowFederatedAccounts) throw invalidGrant('No account here matches this subject, and this peer may not create one');
    if (!assertion.name) throw invalidGrant('The subject token carries no name for a new account');
    try {
      account = await createAccount(
        deps,
        {
          subjectType: assertion.subjectType,
          name: assertion.name,
          level,
          verifiedMethods: [`fed:${peer.id}`],
          federatedFrom: peer.id,
          ...(assertion.uscc ? { uscc: assertion.uscc } : { idType: assertion.idType ?? 'resident-id', idNumber: assertion.idNumber! }),
        },
        (created) => [
          deps.audit.entry(
            { accountId: created.accountId },
            { action: 'registered', actor: `peer:${peer.id}`, at: created.createdAt, sourceIp: input.sourceIp, outcome: 'success', details: { subjectType: created.subjectType, level, federatedFrom: peer.id } },
          ),
        ],
      );
    } catch (error) {
      // a concurrent exchange for the same subject created it first
      if (!(error instanceof AppError && error.code === 'already_registered')) throw error;
      account = await deps.accounts.findByClaim(claim);
      if (!account) throw error;
    }
  }

  const opened = await openSession(deps, {
    account,
    amr: ['fed', ...assertion.amr.filter((method) => method !== 'fed')],
    sourceIp: input.sourceIp,
    level,
    federation: { peerId: peer.id, peerSub: assertion.peerSub, ...(assertion.peerSid ? { peerSid: assertion.peerSid } : {}) },
  });
  await deps.audit.append(
    { accountId: account.accountId },
    {
      action: 'token-exchanged',
      actor: `peer:${peer.id}`,
      at: deps.clock.now().toISOString(),
      sourceIp: input.sourceIp,
      outcome: 'success',
      details: { direction: 'from-peer', peer: peer.id, assertedLevel: assertion.level, level, sessionId: opened.sessionId },
    },
  );
  return opened;
}

function readAssertion(claims: Record<string, unknown>): PeerAssertion {
  const text = (name: string) => (typeof claims[name] === 'string' && (claims[name] as string).length > 0 ? (claims[name] as string) : undefined);
  const peerSub = text('sub');
  if (!peerSub) throw invalidGrant('The subject token has no subject');
  const subjectType = (text('subjectType') ?? 'natural') as SubjectType;
  if (!PEER_SUBJECT_TYPES.includes(subjectType)) throw invalidGrant('The subject token is not about a person or organisation');
  const level = assertedLevel(claims);
  if (!level) throw invalidGrant('The subject token asserts no real-name level');
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string' && /^[a-z0-9:-]{1,32}$/.test(m)).slice(0, 8) : [];
  const base = { peerSub, subjectType: subjectType as PeerAssertion['subjectType'], level, amr, ...(text('sid') ? { peerSid: text('sid')! } : {}), ...(text('name') ? { name: text('name')! } : {}) };

  if (subjectType === 'natural') {
    const idType = (text('idType') ?? 'resident-id') as IdType;
    const idNumber = text('idNumber');
    if (!ID_TYPES.includes(idType) || !idNumber || idNumberProblem(idType, idNumber)) throw invalidGrant('The subject token carries no valid ID number to map the person by');
    return { ...base, idType, idNumber: normalizeIdNumber(idNumber) };
  }
  const uscc = text('uscc');
  if (!uscc || usccProblem(uscc)) throw invalidGrant('The subject token carries no valid USCC to map the organisation by');
  return { ...base, uscc: normalizeUscc(uscc) };
}

/** the level as our `level` claim, or as an acr "urn:gov:cn:loa:N" */
function assertedLevel(claims: Record<string, unknown>): RealNameLevel | undefined {
  const fromAcr = typeof claims.acr === 'string' ? /^urn:gov:cn:loa:([1-5])$/.exec(claims.acr)?.[1] : undefined;
  const level = typeof claims.level === 'number' ? claims.level : fromAcr ? Number(fromAcr) : undefined;
  return level !== undefined && Number.isInteger(level) && level >= 1 && level <= 5 ? (level as RealNameLevel) : undefined;
}
