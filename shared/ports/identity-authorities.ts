/**
 * The external authorities that confirm a real name (GB/T 39047 table 1). Each one answers only
 * "confirmed" or why not: no personal data flows back. In production each is an agency's
 * service (public security, human resources and social security, market regulation, a
 * liveness provider, the NFC reading app's back end); locally simulated authorities answer from
 * a deterministic test registry.
 */
export type AuthorityVerdict =
  | { readonly confirmed: true }
  | {
      readonly confirmed: false;
      /** no-match: the record does not match; expired: the document is no longer valid; unknown-token: the token names no capture */
      readonly reason: 'no-match' | 'expired' | 'unknown-token';
    };

/** Public security: resident identity card by number, name and validity (level 3). */
export interface IdCardAuthority {
  /** `validUntil` is a date (YYYY-MM-DD) or 长期 (no expiry) */
  verify(input: { name: string; idNumber: string; validUntil: string }): Promise<AuthorityVerdict>;
}

/** Social security: the social security card of a person in a region (level 3). */
export interface SocialSecurityAuthority {
  verify(input: { name: string; idNumber: string; regionCode: string; ssNumber: string }): Promise<AuthorityVerdict>;
}

/** Face liveness: a capture, identified by its token, shows this living person (level 4). */
export interface LivenessAuthority {
  verify(input: { name: string; idNumber: string; livenessToken: string }): Promise<AuthorityVerdict>;
}

/** Physical ID card read by an ID reader or an NFC phone with the dedicated app (level 5). */
export interface NfcReaderAuthority {
  verify(input: { name: string; idNumber: string; nfcToken: string }): Promise<AuthorityVerdict>;
}

/** Market regulation: a legal person or organisation by its USCC and registered name (level 3 of organisations). */
export interface MarketRegulationAuthority {
  verify(input: { uscc: string; name: string }): Promise<AuthorityVerdict>;
}

export interface IdentityAuthorities {
  readonly idCard: IdCardAuthority;
  readonly socialSecurity: SocialSecurityAuthority;
  readonly liveness: LivenessAuthority;
  readonly nfcReader: NfcReaderAuthority;
  readonly marketRegulation: MarketRegulationAuthority;
}
