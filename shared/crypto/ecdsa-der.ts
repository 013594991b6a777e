import { concatBytes, encodeLength } from './der.js';

/**
 * ECDSA and SM2 signatures as the DER `SEQUENCE { r INTEGER, s INTEGER }` that KMS returns and
 * X.509 / GB/T 38540 carry, and as the fixed-width `r || s` that JOSE (ES256) uses.
 */

export interface SignatureValues {
  readonly r: bigint;
  readonly s: bigint;
}

export class MalformedSignatureError extends Error {
  constructor(message: string) {
    super(`malformed signature: ${message}`);
    this.name = 'MalformedSignatureError';
  }
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** DER-encodes (r, s); both must be positive. */
export function encodeSignatureDer({ r, s }: SignatureValues): Uint8Array {
  const body = concatBytes([encodeInteger(r), encodeInteger(s)]);
  return concatBytes([Uint8Array.of(SEQUENCE), encodeLength(body.length), body]);
}

/**
 * Decodes a DER (r, s) sequence strictly: minimal lengths and integers, positive values,
 * nothing after the sequence. Lenient BER parsing would let one signature have many encodings.
 */
export function decodeSignatureDer(der: Uint8Array): SignatureValues {
  const reader = { bytes: der, offset: 0 };
  const sequence = readElement(reader, SEQUENCE);
  if (reader.offset !== der.length) throw new MalformedSignatureError('trailing bytes after the sequence');
  const inner = { bytes: sequence, offset: 0 };
  const r = decodeInteger(readElement(inner, INTEGER));
  const s = decodeInteger(readElement(inner, INTEGER));
  if (inner.offset !== sequence.length) throw new MalformedSignatureError('extra elements in the sequence');
  return { r, s };
}

/** DER → JOSE `r || s`, each left-padded to `size` bytes (32 for ES256). */
export function derToJoseSignature(der: Uint8Array, size = 32): Uint8Array {
  const { r, s } = decodeSignatureDer(der);
  return concatBytes([toFixedBytes(r, size), toFixedBytes(s, size)]);
}

/** JOSE `r || s` → DER. */
export function joseToDerSignature(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new MalformedSignatureError('raw signature length must be even');
  const half = raw.length / 2;
  return encodeSignatureDer({ r: bytesToBigInt(raw.subarray(0, half)), s: bytesToBigInt(raw.subarray(half)) });
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Big-endian, left-padded to `size` bytes; throws if the value does not fit. */
export function toFixedBytes(value: bigint, size: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  const out = new Uint8Array(size);
  let rest = value;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`value does not fit in ${size} bytes`);
  return out;
}

function encodeInteger(value: bigint): Uint8Array {
  if (value <= 0n) throw new RangeError('signature values must be positive');
  const hex = value.toString(16);
  const magnitude = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  // a set high bit would read as negative, so DER prepends a zero byte
  const content = magnitude[0]! & 0x80 ? concatBytes([Uint8Array.of(0), magnitude]) : magnitude;
  return concatBytes([Uint8Array.of(INTEGER), encodeLength(content.length), content]);
}

function decodeInteger(content: Uint8Array): bigint {
  if (content.length === 0) throw new MalformedSignatureError('empty integer');
  if (content[0]! & 0x80) throw new MalformedSignatureError('negative integer');
  if (content.length > 1 && content[0] === 0 && !(content[1]! & 0x80)) {
    throw new MalformedSignatureError('integer is not minimally encoded');
  }
  const value = bytesToBigInt(content);
  if (value === 0n) throw new MalformedSignatureError('zero integer');
  return value;
}

function readElement(reader: { bytes: Uint8Array; offset: number }, expectedTag: number): Uint8Array {
  const { bytes } = reader;
  if (bytes[reader.offset] !== expectedTag) throw new MalformedSignatureError(`expected tag 0x${expectedTag.toString(16)}`);
  let offset = reader.offset + 1;
  const first = bytes[offset++];
  if (first === undefined) throw new MalformedSignatureError('truncated length');
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 2) throw new MalformedSignatureError('unsupported length form');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new MalformedSignatureError('truncated length');
      length = (length << 8) | byte;
    }
    if (length < 0x80 || (count === 2 && length < 0x100)) throw new MalformedSignatureError('length is not minimally encoded');
  }
  if (offset + length > bytes.length) throw new MalformedSignatureError('truncated content');
  reader.offset = offset + length;
  return bytes.subarray(offset, offset + length);
}
