/** Mainland China mobile numbers: 11 digits starting 1[3-9], optionally written with +86. */
export function normalizeMobile(value: string): string {
  return value.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function mobileProblem(value: string): string | undefined {
  return /^1[3-9]\d{9}$/.test(normalizeMobile(value)) ? undefined : 'must be a mainland China mobile number (11 digits starting with 13–19)';
}
