/**
 * Password rules (NIST SP 800-63B style: length and a block list, no composition rules):
 * at least 10 characters, at most 128, not a commonly used password, not one character or a
 * plain sequence repeated, and not containing the account's own phone or ID number.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Frequently used passwords of 10 characters or more, from public breach statistics
 * (global and Chinese lists: pinyin, keyboard walks, dates, 520/1314 love numbers). Shorter ones
 * are refused by the length rule already. Compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '1111111111', '0000000000', '1234512345', '1357924680',
  '12345678910', '123456789a', 'a123456789', '123456789q', 'q123456789', '1234567890a', 'a1234567890',
  'qwertyuiop', 'qwertyuiop123', 'asdfghjkl;', 'asdfghjkl1', 'zxcvbnm123', '1qaz2wsx3edc', '1q2w3e4r5t', '1q2w3e4r5t6y',
  'q1w2e3r4t5', 'qazwsxedcrfv', 'zaq12wsxcde3', '!qaz2wsx3edc', '1qaz@wsx3edc', 'qwer1234qwer', 'asdf1234asdf',
  'password123', 'password1234', 'password12345', 'password1!', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123',
  'iloveyou123', 'iloveyou1314', 'iloveyou520', 'welcome123', 'welcome1234', 'administrator', 'admin123456',
  'admin@123456', 'root123456', 'changeme123', 'letmein1234', 'football123', 'baseball123', 'superman123',
  'woaini1314', 'woaini520', 'woaini5201314', '5201314520', '5201314abc', 'a5201314', '1314520520', '5201314woaini',
  'woaiwojia123', 'zhang123456', 'wang123456', 'li123456789', 'liu123456789', 'chen1234567', 'abc1234567',
  'abcd123456', 'abcd1234567', 'abcde12345', 'abcdefghij', 'abcdefg123', 'abc123456789', 'aa123456789',
  'qq123456789', 'qq1234567890', 'wechat123456', 'china123456', 'beijing2008', 'shanghai123', 'hangzhou123',
  'zxcvbnm,./', '147258369a', '1472583690', '159357qwe', '7758521abc', '7758258abc', 'asd123456789',
  'qwe123456789', 'qwe1234567', 'qweasdzxc123', 'qweasdzxc1', 'asdasdasd123', 'qwerty123456', 'qwerty12345',
  'sunshine123', 'princess123', 'dragon123456', 'monkey123456', 'master123456', 'trustno1234',
]);

function isRepetition(value: string): boolean {
  for (let size = 1; size <= value.length / 2; size++) {
    if (value.length % size === 0 && value.slice(0, size).repeat(value.length / size) === value) return true;
  }
  return false;
}

/** a run of consecutive characters, ascending or descending (abcdefghij, 9876543210) */
function isSequence(value: string): boolean {
  const step = value.charCodeAt(1) - value.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < value.length; i++) if (value.charCodeAt(i) - value.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** Why a password is not acceptable, or undefined. `personal` holds the account's own numbers. */
export function passwordProblem(password: string, personal: readonly (string | undefined)[] = []): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || isRepetition(lower) || isSequence(lower)) return 'is too common or too easy to guess';
  if (personal.some((value) => value && value.length >= 6 && lower.includes(value.toLowerCase()))) return 'must not contain your phone or ID number';
  return undefined;
}
