import { describe, expect, it } from '@jest/globals';
import { certificateIdentifier, mod3736CheckChar, mod3736Valid, parseCertificateIdentifier } from '../../shared/certificates/certificate-identifier.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const parts = { typeCode: '11100000MB0001', issuerUscc: '11330106MB1A2B3C4X', serial: 42, version: 1 };

describe('GB/T 36904 identifier with the ISO 7064 MOD 37,36 check character', () => {
  it('matches the published GRid example and values computed by hand', () => {
    // GRid A1-2425G-ABC1234002-M uses ISO 7064 MOD 37,36
    expect(mod3736CheckChar('A12425GABC1234002')).toBe('M');
    expect(mod3736Valid('A12425GABC1234002M')).toBe(true);
    // "0": P=36 → (36+0) mod 36 = 0 → 36 → 72 mod 37 = 35; check = (37 − 35) mod 36 = 2
    expect(mod3736CheckChar('0')).toBe('2');
    // "A" (10): (36+10) mod 36 = 10 → 20; check = 17 → "H"
    expect(mod3736CheckChar('A')).toBe('H');
    expect(mod3736Valid('02')).toBe(true);
    expect(mod3736Valid('AH')).toBe(true);
  });

  it('builds the dotted identifier and parses it back', () => {
    const identifier = certificateIdentifier(parts);
    expect(identifier).toMatch(/^1\.2\.156\.3005\.2\.11100000MB0001\.11330106MB1A2B3C4X\.00000042\.001\.[0-9A-Z]$/);
    expect(parseCertificateIdentifier(identifier)).toEqual(parts);
  });

  it('fails every one-character change of the fields and of the check character', () => {
    const identifier = certificateIdentifier(parts);
    const prefixLength = '1.2.156.3005.2.'.length;
    let changes = 0;
    for (let position = prefixLength; position < identifier.length; position++) {
      if (identifier[position] === '.') continue;
      for (const replacement of ALPHABET) {
        if (replacement === identifier[position]) continue;
        const changed = identifier.slice(0, position) + replacement + identifier.slice(position + 1);
        expect(parseCertificateIdentifier(changed)).toBeUndefined();
        changes++;
      }
    }
    expect(changes).toBeGreaterThan(1000);
  });

  it('fails a swap of two adjacent different characters', () => {
    const identifier = certificateIdentifier(parts);
    const fields = identifier.slice('1.2.156.3005.2.'.length, -2).replace(/\./g, '');
    const check = identifier.slice(-1);
    for (let i = 0; i + 1 < fields.length; i++) {
      if (fields[i] === fields[i + 1]) continue;
      const swapped = fields.slice(0, i) + fields[i + 1] + fields[i] + fields.slice(i + 2);
      expect(mod3736Valid(swapped + check)).toBe(false);
    }
  });

  it('refuses identifiers of the wrong shape', () => {
    expect(parseCertificateIdentifier('1.2.156.3005.2.X.Y.1.1.Z')).toBeUndefined();
    expect(parseCertificateIdentifier(certificateIdentifier(parts).replace('1.2.156.3005.2', '1.2.156.3005.3'))).toBeUndefined();
  });
});
