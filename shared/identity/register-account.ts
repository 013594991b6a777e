import type { IdType } from '../codes/id-documents.js';
import { invalidField } from '../errors.js';
import { TransactionConflictError } from '../tables/transactions.js';
import { createAccount } from './create-account.js';
import type { IdentityServices } from './identity-services.js';
import { checkSmsCode } from './sms-codes.js';

interface RegistrationCommon {
  readonly name: string;
  readonly phone: string;
  readonly email?: string;
  readonly password: string;
  /** a code sent for purpose "register" to `phone`: the account then starts at level 2 */
  readonly smsCode?: string;
}

/** A validated, normalised registration (functions/identity/schemas.ts checked every field). */
export type Registration =
  | (RegistrationCommon & { readonly type: 'natural'; readonly idType: IdType; readonly idNumber: string })
  | (RegistrationCommon & {
      readonly type: 'legal' | 'organization';
      readonly uscc: string;
      readonly representative: { readonly name: string; readonly idNumber: string };
    });

export interface RegisteredAccount {
  readonly accountId: string;
  readonly subjectType: Registration['type'];
  readonly level: 1 | 2;
  readonly verifiedMethods: readonly string[];
}

const wrongCode = () => invalidField('smsCode', 'is wrong or has expired; request a new code');

/**
 * Registers a natural person, legal person or other organisation (GB/T 39047 6.1.2).
 * 1. with an SMS code: check it for this phone (wrong → 422 smsCode; 5 wrong tries → 429);
 * 2. create the account at level 1 (password), or 2 with a confirmed phone; ID number, USCC,
 *    representative and phone are sealed, and ID/USCC/phone/email are claimed as unique;
 * 3. in the same transaction use the SMS code up and append the audit event, so a duplicate
 *    (409) or a used code writes nothing at all.
 * Levels 3 and above need an authority's confirmation: POST /v1/identity/level-upgrades.
 */
export async function registerAccount(
  deps: Pick<IdentityServices, 'accounts' | 'smsCodes' | 'personalData' | 'audit' | 'clock'>,
  input: Registration & { sourceIp: string },
): Promise<RegisteredAccount> {
  const check = input.smsCode ? await checkSmsCode(deps, { phone: input.phone, purpose: 'register', code: input.smsCode }) : undefined;
  if (check && !check.valid) throw wrongCode();
  const level = check ? 2 : 1;
  const verifiedMethods = check ? ['password', 'sms'] : ['password'];
  const identity =
    input.type === 'natural'
      ? { idType: input.idType, idNumber: input.idNumber }
      : { uscc: input.uscc, representative: input.representative };
  try {
    const account = await createAccount(
      deps,
      { subjectType: input.type, name: input.name, level, verifiedMethods, phone: input.phone, password: input.password, ...(input.email ? { email: input.email } : {}), ...identity },
      (created) => [
        ...(check?.valid ? [check.usage] : []),
        deps.audit.entry(
          { accountId: created.accountId },
          { action: 'registered', actor: created.accountId, at: created.createdAt, sourceIp: input.sourceIp, outcome: 'success', details: { subjectType: input.type, level } },
        ),
      ],
    );
    return { accountId: account.accountId, subjectType: input.type, level, verifiedMethods };
  } catch (error) {
    if (error instanceof TransactionConflictError && check?.valid && error.failed.includes(0)) throw wrongCode();
    throw error;
  }
}
