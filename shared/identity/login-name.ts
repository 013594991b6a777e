import { normalizeMobile, mobileProblem } from '../codes/phone.js';
import { normalizeResidentId, residentIdProblem } from '../codes/resident-id.js';
import { normalizeUscc, usccProblem } from '../codes/uscc.js';
import type { LookupKind } from '../privacy/personal-data.js';

/**
 * What a login name is: a phone number, a resident ID number, a USCC, an email address or an
 * account username (staff, administrators, platforms), normalised the way it was registered.
 */
export function classifyLoginName(raw: string): { kind: LookupKind; value: string } {
  const trimmed = raw.trim();
  if (!mobileProblem(trimmed)) return { kind: 'phone', value: normalizeMobile(trimmed) };
  if (!residentIdProblem(trimmed)) return { kind: 'resident-id', value: normalizeResidentId(trimmed) };
  if (!usccProblem(trimmed)) return { kind: 'uscc', value: normalizeUscc(trimmed) };
  if (trimmed.includes('@')) return { kind: 'email', value: trimmed.toLowerCase() };
  return { kind: 'username', value: trimmed.toLowerCase() };
}
