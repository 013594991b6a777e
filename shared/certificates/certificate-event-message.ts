import * as z from 'zod/mini';

/**
 * A certificate issued to a holder as the certificate-events queue carries it, for the holder's
 * inbox. The holder is named only by the lookup hash of their ID number or USCC (the key of their
 * account's unique claim), never by the code itself.
 */
export const certificateIssuedMessage = z.object({
  identifier: z.string(),
  typeCode: z.string(),
  name: z.string(),
  issuerName: z.string(),
  holderCodeType: z.enum(['resident-id', 'uscc']),
  holderLookup: z.string(),
  issuedAt: z.string(),
});

export type CertificateIssuedMessage = z.infer<typeof certificateIssuedMessage>;
