import type { RealNameLevel } from '../auth/principal.js';
import { normalizeIdNumber } from '../codes/id-documents.js';
import { AppError, forbidden, invalidField } from '../errors.js';
import type { AuthorityVerdict } from '../ports/identity-authorities.js';
import type { TransactionItem } from '../tables/transactions.js';
import type { Account } from './account-repository.js';
import type { AccountHolder } from './account-holder.js';
import type { IdentityServices } from './identity-services.js';
import { checkSmsCode } from './sms-codes.js';

/** The evidence of each method of GB/T 39047 table 1, validated by the request schema. */
export type LevelUpgrade =
  | { readonly method: 'sms'; readonly evidence: { readonly smsCode: string } }
  | { readonly method: 'id-card'; readonly evidence: { readonly name: string; readonly idNumber: string; readonly validUntil: string } }
  | { readonly method: 'social-security'; readonly evidence: { readonly name: string; readonly idNumber: string; readonly regionCode: string; readonly ssNumber: string } }
  | { readonly method: 'face'; readonly evidence: { readonly livenessToken: string } }
  | { readonly method: 'id-reader'; readonly evidence: { readonly nfcToken: string } };

/** the level each method proves, and the level it needs first */
const METHODS: Record<LevelUpgrade['method'], { level: RealNameLevel; needs?: RealNameLevel }> = {
  sms: { level: 2 },
  'id-card': { level: 3 },
  'social-security': { level: 3 },
  face: { level: 4, needs: 3 },
  'id-reader': { level: 5, needs: 4 },
};

/** Organisations prove their phone (2) and, through market regulation and their representative's ID card, their name (3). */
const ORGANISATION_METHODS: readonly LevelUpgrade['method'][] = ['sms', 'id-card'];

export interface UpgradeOutcome {
  readonly level: RealNameLevel;
  readonly previousLevel: RealNameLevel;
  readonly verifiedMethods: readonly string[];
}

type Deps = Pick<IdentityServices, 'accounts' | 'authorities' | 'smsCodes' | 'personalData' | 'audit' | 'clock'>;

/**
 * Raises an account's real-name level with evidence an authority confirms (GB/T 39047 table 1):
 * sms → 2; id-card or social-security → 3; face → 4 (needs 3); id-reader → 5 (needs 4).
 * For a legal person or organisation, id-card means: market regulation confirms the USCC and
 * name, and the registered representative's ID card checks out (→ 3).
 * 1. the caller must hold the account (no delegated tokens) and meet the method's prerequisite;
 * 2. the evidence must be about the account's own person (its ID number and name, or its
 *    representative's) before any authority is asked;
 * 3. the authority port answers; a refusal or mismatch changes nothing, is audited and answers
 *    422 verification_failed;
 * 4. a confirmation raises the level (never lowers it) and records the method, with its audit
 *    event (and the SMS code use) in the same transaction.
 */
export async function upgradeLevel(deps: Deps, input: LevelUpgrade & { caller: AccountHolder; sourceIp: string }): Promise<UpgradeOutcome> {
  const account = await deps.accounts.get(input.caller.sub);
  if (!account) throw new AppError('not_found', 'account_not_found', 'No such account');
  if (account.subjectType !== 'natural' && account.subjectType !== 'legal' && account.subjectType !== 'organization') {
    throw forbidden('Real-name levels are raised for people and organisations only');
  }
  const method = METHODS[input.method];
  if (account.subjectType !== 'natural' && !ORGANISATION_METHODS.includes(input.method)) {
    throw invalidField('method', 'is for natural persons; organisations use sms or id-card (of their representative)');
  }
  if (method.needs && account.level < method.needs) {
    throw forbidden(`The ${input.method} method needs real-name level ${method.needs} first; yours is ${account.level}`, 'level_too_low');
  }

  const refuse = async (reason: string, message: string): Promise<never> => {
    await deps.audit.append(
      { accountId: account.accountId },
      { action: 'level-upgrade-refused', actor: account.accountId, at: deps.clock.now().toISOString(), sourceIp: input.sourceIp, outcome: 'failure', details: { method: input.method, reason, level: account.level } },
    );
    throw new AppError('invalid', 'verification_failed', 'The evidence was not confirmed; the level is unchanged', [{ field: 'evidence', message }]);
  };
  const confirmed = async (verdict: AuthorityVerdict) => {
    if (!verdict.confirmed) await refuse(`authority-${verdict.reason}`, `The authority did not confirm it (${verdict.reason})`);
  };

  const alsoWrite: TransactionItem[] = [];
  const added: string[] = [input.method];
  switch (input.method) {
    case 'sms': {
      if (!account.phoneSealed) throw invalidField('method', 'needs a phone number on the account');
      const check = await checkSmsCode(deps, { phone: await deps.personalData.open(account.phoneSealed), purpose: 'upgrade', code: input.evidence.smsCode });
      if (!check.valid) await refuse('wrong-code', 'The SMS code is wrong or has expired');
      else alsoWrite.push(check.usage);
      break;
    }
    case 'id-card': {
      const { name, idNumber, validUntil } = input.evidence;
      if (account.subjectType === 'natural') {
        await assertOwnDocument(deps, account, { name, idNumber }, refuse);
      } else {
        const representative = account.representativeSealed ? (JSON.parse(await deps.personalData.open(account.representativeSealed)) as { name: string; idNumber: string }) : undefined;
        if (!representative || representative.name !== name || representative.idNumber !== normalizeIdNumber(idNumber)) {
          await refuse('not-the-representative', 'This is not the ID card of the registered representative');
        }
        if (!account.usccSealed) throw invalidField('method', 'needs a USCC on the account');
        await confirmed(await deps.authorities.marketRegulation.verify({ uscc: await deps.personalData.open(account.usccSealed), name: account.name }));
        added.push('market-regulation');
      }
      await confirmed(await deps.authorities.idCard.verify({ name, idNumber: normalizeIdNumber(idNumber), validUntil }));
      break;
    }
    case 'social-security': {
      const { name, idNumber, regionCode, ssNumber } = input.evidence;
      await assertOwnDocument(deps, account, { name, idNumber }, refuse);
      await confirmed(await deps.authorities.socialSecurity.verify({ name, idNumber: normalizeIdNumber(idNumber), regionCode, ssNumber: normalizeIdNumber(ssNumber) }));
      break;
    }
    case 'face':
      await confirmed(await deps.authorities.liveness.verify({ ...(await ownIdentity(deps, account)), livenessToken: input.evidence.livenessToken }));
      break;
    case 'id-reader':
      await confirmed(await deps.authorities.nfcReader.verify({ ...(await ownIdentity(deps, account)), nfcToken: input.evidence.nfcToken }));
      break;
  }

  const level = Math.max(account.level, method.level) as RealNameLevel;
  const verifiedMethods = [...new Set([...account.verifiedMethods, ...added])];
  await deps.accounts.update({ ...account, level, verifiedMethods }, [
    ...alsoWrite,
    deps.audit.entry(
      { accountId: account.accountId },
      { action: 'level-raised', actor: account.accountId, at: deps.clock.now().toISOString(), sourceIp: input.sourceIp, outcome: 'success', details: { method: input.method, from: account.level, to: level } },
    ),
  ]);
  return { level, previousLevel: account.level, verifiedMethods };
}

/** the account holder's resident ID number and name, which the person-bound methods need */
async function ownIdentity(deps: Pick<Deps, 'personalData'>, account: Account): Promise<{ name: string; idNumber: string }> {
  if (account.idType !== 'resident-id' || !account.idNumberSealed) throw invalidField('method', 'needs a resident identity card number on the account');
  return { name: account.name, idNumber: await deps.personalData.open(account.idNumberSealed) };
}

async function assertOwnDocument(
  deps: Pick<Deps, 'personalData'>,
  account: Account,
  evidence: { name: string; idNumber: string },
  refuse: (reason: string, message: string) => Promise<never>,
): Promise<void> {
  const own = await ownIdentity(deps, account);
  if (own.idNumber !== normalizeIdNumber(evidence.idNumber) || own.name !== evidence.name) {
    await refuse('not-your-document', 'The name and ID number must be those of this account');
  }
}
