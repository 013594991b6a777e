import { describe, expect, it } from '@jest/globals';
import { decodeDer, der, DerError, isCanonicalDer, readBitFlags, readInteger, readOid, readString, readTime, Tag } from '../../shared/crypto/der.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

describe('DER writing', () => {
  it('encodes integers minimally, with sign bytes where the top bit needs one', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(-1))).toBe('0201ff');
    expect(hex(der.integer(-129))).toBe('0202ff7f');
    expect(hex(der.integer(1n << 64n))).toBe('0209010000000000000000');
  });

  it('encodes object identifiers, times, strings and long lengths', () => {
    expect(hex(der.oid('1.2.156.10197.1.501'))).toBe('06082a811ccf55018375');
    expect(hex(der.oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(Buffer.from(der.generalizedTime(new Date('2020-10-10T07:11:20Z')).subarray(2)).toString()).toBe('20201010071120Z');
    expect(Buffer.from(der.generalizedTime(new Date('2020-10-10T07:11:20.250Z')).subarray(2)).toString()).toBe('20201010071120.25Z');
    expect(Buffer.from(der.utcTime(new Date('2049-12-31T23:59:59Z')).subarray(2)).toString()).toBe('491231235959Z');
    expect(() => der.utcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(DerError);
    expect(() => der.ia5String('印章')).toThrow(DerError);
    const long = der.octetString(new Uint8Array(300));
    expect(hex(long.subarray(0, 4))).toBe('0482012c');
  });

  it('writes SET OF sorted and key usage flags without trailing zero bits', () => {
    expect(hex(der.set(der.integer(2), der.integer(1)))).toBe('3106020101020102');
    // digitalSignature and nonRepudiation: bits 0 and 1 → 0xc0 with 6 unused bits
    expect(hex(der.bitFlags([true, true, false, false, false, false, false]))).toBe('030206c0');
    expect(readBitFlags(decodeDer(der.bitFlags([true, false, false, false, false, true])), 'ku')).toEqual([true, false, false, false, false, true]);
  });
});

describe('DER reading', () => {
  it('round-trips what it writes', () => {
    const encoded = der.sequence(der.integer(-5), der.oid('2.16.840.1.101.3.4.2.1'), der.utf8String('电子印章'), der.generalizedTime(new Date('2021-01-02T03:04:05Z')));
    const [integer, oid, text, time] = decodeDer(encoded).children;
    expect(readInteger(integer, 'i')).toBe(-5n);
    expect(readOid(oid, 'o')).toBe('2.16.840.1.101.3.4.2.1');
    expect(readString(text, 's', [Tag.UTF8_STRING])).toBe('电子印章');
    expect(readTime(time, 't').toISOString()).toBe('2021-01-02T03:04:05.000Z');
    expect(isCanonicalDer(decodeDer(encoded))).toBe(true);
  });

  it('keeps the original bytes of every element, as signatures need them', () => {
    const encoded = der.sequence(der.sequence(der.integer(1)), der.null());
    const root = decodeDer(encoded);
    expect(hex(root.children[0]!.encoded)).toBe('3003020101');
    expect(hex(root.encoded)).toBe(hex(encoded));
  });

  it('reads UTCTime windows, zones and fractions, and refuses impossible dates', () => {
    const time = (tag: number, text: string) => readTime(decodeDer(Uint8Array.from([tag, text.length, ...Buffer.from(text)])), 't').toISOString();
    expect(time(Tag.UTC_TIME, '491231235959Z')).toBe('2049-12-31T23:59:59.000Z');
    expect(time(Tag.UTC_TIME, '500101000000Z')).toBe('1950-01-01T00:00:00.000Z');
    expect(time(Tag.GENERALIZED_TIME, '20201010151120+0800')).toBe('2020-10-10T07:11:20.000Z');
    expect(time(Tag.GENERALIZED_TIME, '20201010071120.5Z')).toBe('2020-10-10T07:11:20.500Z');
    expect(() => time(Tag.GENERALIZED_TIME, '20210231000000Z')).toThrow(DerError);
  });

  it('accepts non-minimal lengths but reports them as not canonical', () => {
    const nonMinimal = fromHex('30810302010' + '1');
    const element = decodeDer(nonMinimal);
    expect(readInteger(element.children[0], 'i')).toBe(1n);
    expect(isCanonicalDer(element)).toBe(false);
    expect(isCanonicalDer(decodeDer(fromHex('0101' + '01')))).toBe(false);
    expect(isCanonicalDer(decodeDer(fromHex('02020001')))).toBe(false);
  });

  it('refuses truncated, indefinite and trailing data', () => {
    for (const bad of ['3005020101', '3080020101' + '0000', '020101' + '00', '', '1f0100']) {
      expect(() => decodeDer(fromHex(bad))).toThrow(DerError);
    }
  });
});
