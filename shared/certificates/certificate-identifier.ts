/**
 * GB/T 36904 identifiers of electronic certificates:
 * `1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check char>`, the check character
 * ISO 7064 MOD 37,36 (hybrid system) over the fields between the prefix and the check character.
 */
export const CERTIFICATE_OID_PREFIX = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MODULUS = 36;

/** ISO 7064 MOD 37,36 check character of `value` (digits and capital letters; other characters are ignored) */
export function mod3736CheckChar(value: string): string {
  return ALPHABET[(MODULUS + 1 - hybridProduct(value)) % MODULUS]!;
}

/** true when the last character of `valueWithCheck` is its ISO 7064 MOD 37,36 check character */
export function mod3736Valid(valueWithCheck: string): boolean {
  const chars = [...valueWithCheck].filter((c) => ALPHABET.includes(c));
  if (chars.length < 2) return false;
  return hybridSum(chars) % MODULUS === 1;
}

function hybridProduct(value: string): number {
  let product = MODULUS;
  for (const char of value) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) continue;
    product = (((product + digit) % MODULUS || MODULUS) * 2) % (MODULUS + 1);
  }
  return product;
}

function hybridSum(chars: readonly string[]): number {
  const body = chars.slice(0, -1).join('');
  return hybridProduct(body) + ALPHABET.indexOf(chars[chars.length - 1]!);
}

export interface CertificateIdentifierParts {
  readonly typeCode: string;
  readonly issuerUscc: string;
  readonly serial: number;
  readonly version: number;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** the identifier of a certificate version, with its check character */
export function certificateIdentifier(parts: CertificateIdentifierParts): string {
  const fields = `${parts.typeCode}.${parts.issuerUscc}.${pad(parts.serial, 8)}.${pad(parts.version, 3)}`;
  return `${CERTIFICATE_OID_PREFIX}.${fields}.${mod3736CheckChar(fields)}`;
}

const IDENTIFIER = /^1\.2\.156\.3005\.2\.([0-9A-Z]{1,40})\.([0-9A-Z]{18})\.(\d{8})\.(\d{3})\.([0-9A-Z])$/;

/** the parts of a well-formed identifier whose check character validates; undefined otherwise */
export function parseCertificateIdentifier(identifier: string): CertificateIdentifierParts | undefined {
  const match = IDENTIFIER.exec(identifier);
  if (!match) return undefined;
  const [, typeCode, issuerUscc, serial, version, check] = match;
  if (!mod3736Valid(`${typeCode}${issuerUscc}${serial}${version}${check}`)) return undefined;
  return { typeCode: typeCode!, issuerUscc: issuerUscc!, serial: Number(serial), version: Number(version) };
}
