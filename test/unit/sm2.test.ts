import { describe, it, expect } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { sm2 as smCryptoV2 } from 'sm-crypto-v2';
import {
  decodeSignatureDer,
  derToJoseSignature,
  encodeSignatureDer,
  joseToDerSignature,
  MalformedSignatureError,
} from '../../shared/crypto/ecdsa-der.js';
import {
  generateSm2KeyPair,
  signSm2Digest,
  sm2Digest,
  sm2IdentityHash,
  sm2PublicKeyFromPrivateKey,
  sm2PublicKeyFromSpki,
  sm2PublicKeyHex,
  sm2PublicKeyToSpki,
  verifySm2,
  verifySm2Digest,
} from '../../shared/crypto/sm2.js';

const require = createRequire(import.meta.url);
/** the original sm-crypto: an implementation independent of sm-crypto-v2 and of ours */
const smCrypto = require('sm-crypto') as {
  sm2: {
    doSignature(msg: string | number[], privateKey: string, options: { der: boolean; hash: boolean; userId?: string }): string;
    doVerifySignature(msg: string | number[], signature: string, publicKey: string, options: { der: boolean; hash: boolean; userId?: string }): boolean;
  };
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('SM2 digest e = SM3(ZA || M)', () => {
  it('computes ZA from the GB/T 32918.5 curve constants exactly as sm-crypto-v2 does', () => {
    const { publicKey } = generateSm2KeyPair();
    expect(hex(sm2IdentityHash(publicKey))).toBe(hex(smCryptoV2.getZ(sm2PublicKeyHex(publicKey))));
    expect(hex(sm2IdentityHash(publicKey, 'ALICE123@YAHOO.COM'))).toBe(hex(smCryptoV2.getZ(sm2PublicKeyHex(publicKey), 'ALICE123@YAHOO.COM')));
  });

  it('matches sm-crypto-v2 getHash for the message digest', () => {
    const { publicKey } = generateSm2KeyPair();
    const message = Buffer.from('电子印章 TBS_Sign', 'utf8');
    expect(hex(sm2Digest(message, publicKey))).toBe(smCryptoV2.getHash(Uint8Array.from(message), sm2PublicKeyHex(publicKey)));
  });
});

describe('SM2 signatures', () => {
  it('signs a digest so that the independent sm-crypto accepts it over the message', () => {
    const { privateKey, publicKey } = generateSm2KeyPair();
    const message = randomBytes(300);
    const signature = signSm2Digest(sm2Digest(message, publicKey), privateKey);
    expect(smCrypto.sm2.doVerifySignature(Array.from(message), hex(signature), sm2PublicKeyHex(publicKey), { der: true, hash: true })).toBe(true);
    const altered = Buffer.from(message);
    altered[0]! ^= 1;
    expect(smCrypto.sm2.doVerifySignature(Array.from(altered), hex(signature), sm2PublicKeyHex(publicKey), { der: true, hash: true })).toBe(false);
  });

  it('verifies what sm-crypto signed, and rejects a different user ID or message', () => {
    const { privateKey, publicKey } = generateSm2KeyPair();
    const message = '国家政务服务平台';
    const signature = Buffer.from(smCrypto.sm2.doSignature(message, hex(privateKey), { der: true, hash: true }), 'hex');
    const bytes = Buffer.from(message, 'utf8');
    expect(verifySm2(bytes, signature, publicKey)).toBe(true);
    expect(verifySm2(bytes, signature, publicKey, 'another-user-id')).toBe(false);
    expect(verifySm2(Buffer.from('国家政务服务平台!', 'utf8'), signature, publicKey)).toBe(false);
  });

  it('verifies repeatedly with the same key and refuses another key', () => {
    const { privateKey, publicKey } = generateSm2KeyPair();
    const digest = sm2Digest(Buffer.from('repeat'), publicKey);
    const signature = signSm2Digest(digest, privateKey);
    for (let i = 0; i < 3; i++) expect(verifySm2Digest(digest, signature, publicKey)).toBe(true);
    const other = generateSm2KeyPair().publicKey;
    for (let i = 0; i < 3; i++) expect(verifySm2Digest(digest, signature, other)).toBe(false);
  });

  it('treats out-of-range and malformed signatures as invalid', () => {
    const { privateKey, publicKey } = generateSm2KeyPair();
    const digest = sm2Digest(Buffer.from('range'), publicKey);
    const { r, s } = decodeSignatureDer(signSm2Digest(digest, privateKey));
    const n = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
    expect(verifySm2Digest(digest, encodeSignatureDer({ r: r + n, s }), publicKey)).toBe(false);
    expect(verifySm2Digest(digest, Uint8Array.of(0x30, 0x02, 0x02, 0x00), publicKey)).toBe(false);
  });

  it('refuses digests that are not 32 bytes', () => {
    const { privateKey } = generateSm2KeyPair();
    expect(() => signSm2Digest(new Uint8Array(20), privateKey)).toThrow(RangeError);
  });

  it('derives the public key from the private key, as sm-crypto-v2 does', () => {
    const pair = generateSm2KeyPair();
    expect(hex(sm2PublicKeyFromPrivateKey(pair.privateKey))).toBe(hex(pair.publicKey));
    expect(smCryptoV2.getPublicKeyFromPrivateKey(hex(pair.privateKey))).toBe(hex(pair.publicKey));
  });
});

describe('SM2 SubjectPublicKeyInfo', () => {
  it('round-trips, byte for byte the encoding OpenSSL gives its own SM2 keys', () => {
    const { publicKey } = generateSm2KeyPair();
    expect(hex(sm2PublicKeyFromSpki(sm2PublicKeyToSpki(publicKey)))).toBe(hex(publicKey));
    const openSsl = generateKeyPairSync('ec', { namedCurve: 'SM2' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(hex(sm2PublicKeyToSpki(sm2PublicKeyFromSpki(openSsl)))).toBe(openSsl.toString('hex'));
  });

  it('rejects a P-256 key and a point off the curve', () => {
    const offCurve = sm2PublicKeyToSpki(Uint8Array.from([4, ...new Uint8Array(64).fill(1)]));
    expect(() => sm2PublicKeyFromSpki(offCurve)).toThrow('not a point on the curve');
    const p256 = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04' + '11'.repeat(64), 'hex');
    expect(() => sm2PublicKeyFromSpki(p256)).toThrow('not an SM2 SubjectPublicKeyInfo');
  });
});

describe('ECDSA DER signatures', () => {
  it('encodes minimal integers, with a zero byte before a set high bit', () => {
    expect(hex(encodeSignatureDer({ r: 0x7fn, s: 0x80n }))).toBe('300702017f02020080');
    expect(decodeSignatureDer(Buffer.from('300702017f02020080', 'hex'))).toEqual({ r: 0x7fn, s: 0x80n });
  });

  it('uses the long length form past 127 bytes', () => {
    const big = (1n << 1040n) - 1n;
    const der = encodeSignatureDer({ r: big, s: big });
    expect(der[1]).toBe(0x82);
    expect(decodeSignatureDer(der)).toEqual({ r: big, s: big });
  });

  it('rejects non-canonical encodings', () => {
    const cases = [
      '3008020200010201010000', // trailing bytes after the sequence (and a padded integer)
      '300702020001020101', // r padded with a needless zero byte
      '3006020180020101', // negative r
      '3006020100020101', // zero r
      '30810602010102010100', // long form for a short length
      '3006020101020101' + '00', // trailing byte
      '3005020101020101', // sequence length does not match
      '310602010102010100', // not a sequence
    ];
    for (const value of cases) expect(() => decodeSignatureDer(Buffer.from(value, 'hex'))).toThrow(MalformedSignatureError);
  });

  it('converts between DER and JOSE r || s', () => {
    const der = encodeSignatureDer({ r: 5n, s: 0xff00n });
    const raw = derToJoseSignature(der, 32);
    expect(raw.length).toBe(64);
    expect(hex(raw)).toBe('00'.repeat(31) + '05' + '00'.repeat(30) + 'ff00');
    expect(hex(joseToDerSignature(raw))).toBe(hex(der));
    expect(() => derToJoseSignature(encodeSignatureDer({ r: 1n << 256n, s: 1n }), 32)).toThrow(RangeError);
  });
});
