/**
 * A small ASN.1 DER reader and writer: enough for X.509 certificates, GB/T 38540 / GM/T 0031
 * electronic seals and RFC 3161 time-stamp tokens. Written here rather than taken from an ASN.1
 * library because the Lambda bundles of the seal functions have no room for one.
 *
 * Reading keeps every element's original bytes (`encoded`): signatures cover the bytes as the
 * producer wrote them, so they are verified over those, never over a re-encoding. Reading accepts
 * definite lengths in any form (producers differ); `isCanonicalDer` says whether an element is
 * also strict DER.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(`ASN.1: ${message}`);
    this.name = 'DerError';
  }
}

/** Universal tags (with the constructed bit where the type is always constructed). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONSTRUCTED = 0x20;
const CONTEXT = 0x80;
const MAX_DEPTH = 32;

export interface DerElement {
  /** the identifier octet (class, constructed bit, tag number below 31) */
  readonly tag: number;
  readonly constructed: boolean;
  /** the value bytes */
  readonly content: Uint8Array;
  /** the whole element (tag, length, value) exactly as it was read */
  readonly encoded: Uint8Array;
  /** the elements inside a constructed element */
  readonly children: readonly DerElement[];
  /** false when the length was not written in its shortest form */
  readonly minimalLength: boolean;
}

/** Reads exactly one element that spans all of `bytes`. */
export function decodeDer(bytes: Uint8Array): DerElement {
  const { element, end } = readElement(bytes, 0, 0);
  if (end !== bytes.length) throw new DerError(`${bytes.length - end} bytes after the outer element`);
  return element;
}

function readElement(bytes: Uint8Array, start: number, depth: number): { element: DerElement; end: number } {
  if (depth > MAX_DEPTH) throw new DerError('nested too deeply');
  const tag = bytes[start];
  if (tag === undefined) throw new DerError('truncated: no tag');
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let offset = start + 1;
  const first = bytes[offset++];
  if (first === undefined) throw new DerError('truncated: no length');
  let length = first;
  let minimalLength = true;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length is not DER');
    if (count > 4) throw new DerError('length too large');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new DerError('truncated length');
      length = length * 256 + byte;
    }
    minimalLength = length >= 0x80 && length >= 256 ** (count - 1);
  }
  const end = offset + length;
  if (end > bytes.length) throw new DerError('truncated content');
  const content = bytes.subarray(offset, end);
  const constructed = (tag & CONSTRUCTED) !== 0;
  const children: DerElement[] = [];
  if (constructed) {
    let at = offset;
    while (at < end) {
      const child = readElement(bytes.subarray(0, end), at, depth + 1);
      children.push(child.element);
      at = child.end;
    }
  }
  return { element: { tag, constructed, content, encoded: bytes.subarray(start, end), children, minimalLength }, end };
}

/**
 * True when the element and everything inside it is written the one DER way: shortest lengths,
 * minimal integers, booleans as 00/FF, no unused bits set. SET OF ordering is not checked.
 */
export function isCanonicalDer(element: DerElement): boolean {
  if (!element.minimalLength) return false;
  if (element.constructed) return element.children.every(isCanonicalDer);
  const { content } = element;
  switch (element.tag) {
    case Tag.BOOLEAN:
      return content.length === 1 && (content[0] === 0 || content[0] === 0xff);
    case Tag.INTEGER:
      return content.length > 0 && !(content.length > 1 && ((content[0] === 0 && !(content[1]! & 0x80)) || (content[0] === 0xff && content[1]! & 0x80)));
    case Tag.BIT_STRING: {
      const unused = content[0];
      if (unused === undefined || unused > 7 || (content.length === 1 && unused !== 0)) return false;
      return unused === 0 || (content[content.length - 1]! & ((1 << unused) - 1)) === 0;
    }
    default:
      return true;
  }
}

// ---- reading typed values ----

/** The element's children, checking its tag; `what` names it in errors. */
export function childrenOf(element: DerElement, tag: number, what: string): readonly DerElement[] {
  expectTag(element, tag, what);
  return element.children;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element) throw new DerError(`${what} is missing`);
  if (element.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  return element;
}

export function readInteger(element: DerElement | undefined, what: string): bigint {
  const { content } = expectTag(element, Tag.INTEGER, what);
  if (content.length === 0) throw new DerError(`${what}: empty integer`);
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  return content[0]! & 0x80 ? value - (1n << BigInt(content.length * 8)) : value;
}

/** An INTEGER that must fit a JavaScript number (versions, types, sizes). */
export function readSmallInteger(element: DerElement | undefined, what: string): number {
  const value = readInteger(element, what);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new DerError(`${what}: integer out of range`);
  return Number(value);
}

export function readBoolean(element: DerElement | undefined, what: string): boolean {
  const { content } = expectTag(element, Tag.BOOLEAN, what);
  if (content.length !== 1) throw new DerError(`${what}: a boolean is one byte`);
  return content[0] !== 0;
}

export function readOctetString(element: DerElement | undefined, what: string): Uint8Array {
  return expectTag(element, Tag.OCTET_STRING, what).content;
}

/** The bytes of a BIT STRING whose length is a whole number of bytes. */
export function readBitString(element: DerElement | undefined, what: string): Uint8Array {
  const { content } = expectTag(element, Tag.BIT_STRING, what);
  if (content.length === 0) throw new DerError(`${what}: empty bit string`);
  if (content[0] !== 0) throw new DerError(`${what}: bit string with unused bits`);
  return content.subarray(1);
}

/** The bits of a BIT STRING as booleans, most significant bit of the first byte first (key usage). */
export function readBitFlags(element: DerElement | undefined, what: string): boolean[] {
  const { content } = expectTag(element, Tag.BIT_STRING, what);
  const unused = content[0] ?? 0;
  const bits: boolean[] = [];
  for (let i = 1; i < content.length; i++) {
    const count = i === content.length - 1 ? 8 - unused : 8;
    for (let bit = 0; bit < count; bit++) bits.push((content[i]! & (0x80 >> bit)) !== 0);
  }
  return bits;
}

export function readOid(element: DerElement | undefined, what: string): string {
  const { content } = expectTag(element, Tag.OID, what);
  if (content.length === 0) throw new DerError(`${what}: empty object identifier`);
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) throw new DerError(`${what}: object identifier arc too large`);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  if (content[content.length - 1]! & 0x80) throw new DerError(`${what}: truncated object identifier`);
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

const STRING_TAGS: readonly number[] = [Tag.UTF8_STRING, Tag.PRINTABLE_STRING, Tag.IA5_STRING, Tag.T61_STRING, Tag.BMP_STRING];

/** A character string of one of the given tags (any string type if none are given). */
export function readString(element: DerElement | undefined, what: string, tags: readonly number[] = STRING_TAGS): string {
  if (!element) throw new DerError(`${what} is missing`);
  if (!tags.includes(element.tag)) throw new DerError(`${what}: not a ${tags.length === 1 ? `string of tag 0x${tags[0]!.toString(16)}` : 'character string'}`);
  if (element.tag === Tag.BMP_STRING) return Buffer.from(element.content).swap16().toString('utf16le');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(element.content);
  } catch {
    throw new DerError(`${what}: not valid UTF-8`);
  }
}

/** GeneralizedTime or UTCTime, with or without seconds, fractions or a zone offset (producers vary). */
export function readTime(element: DerElement | undefined, what: string): Date {
  if (!element || (element.tag !== Tag.GENERALIZED_TIME && element.tag !== Tag.UTC_TIME)) throw new DerError(`${what}: not a time`);
  return parseAsn1Time(new TextDecoder().decode(element.content), element.tag === Tag.UTC_TIME, what);
}

/** Parses the text of a GeneralizedTime (or, with `utc`, a UTCTime); a time without zone is read as UTC. */
export function parseAsn1Time(text: string, utc: boolean, what: string): Date {
  const match = (utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})?$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?([.,]\d+)?(Z|[+-]\d{4})?$/).exec(text);
  if (!match) throw new DerError(`${what}: malformed time "${text}"`);
  const [, y, mo, d, h, mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const year = utc ? (Number(y) < 50 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y);
  const ms = fraction ? Math.round(Number(`0.${fraction.slice(1)}`) * 1000) : 0;
  const local = new Date(Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  // Date.UTC rolls 31 February over into March: a round trip exposes impossible dates
  if (local.getUTCMonth() !== Number(mo) - 1 || local.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new DerError(`${what}: invalid date "${text}"`);
  }
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)));
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/** True for a context-specific tag [n], primitive or constructed. */
export function isContextTag(element: DerElement | undefined, tagNumber: number): boolean {
  return element !== undefined && (element.tag & 0xdf) === (CONTEXT | tagNumber);
}

/** The single element inside an EXPLICIT [n] tag. */
export function readExplicit(element: DerElement | undefined, tagNumber: number, what: string): DerElement {
  if (!element || element.tag !== (CONTEXT | CONSTRUCTED | tagNumber)) throw new DerError(`${what}: expected [${tagNumber}] EXPLICIT`);
  if (element.children.length !== 1) throw new DerError(`${what}: [${tagNumber}] must hold one element`);
  return element.children[0]!;
}

// ---- writing ----

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Tag, length and the concatenated content parts. */
export function element(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(content);
  return concatBytes([Uint8Array.of(tag), encodeLength(body.length), body]);
}

export const der = {
  sequence: (...children: Uint8Array[]) => element(Tag.SEQUENCE, ...children),
  /** SET OF in DER order (sorted by encoding) */
  set: (...children: Uint8Array[]) => element(Tag.SET, ...[...children].sort(compareBytes)),
  integer(value: bigint | number): Uint8Array {
    let n = BigInt(value);
    const bytes: number[] = [];
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n !== 0n && n !== -1n);
    // one more byte when the top bit would give the wrong sign
    if (n === 0n && bytes[0]! & 0x80) bytes.unshift(0);
    if (n === -1n && !(bytes[0]! & 0x80)) bytes.unshift(0xff);
    return element(Tag.INTEGER, Uint8Array.from(bytes));
  },
  boolean: (value: boolean) => element(Tag.BOOLEAN, Uint8Array.of(value ? 0xff : 0)),
  null: () => Uint8Array.of(Tag.NULL, 0),
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map(Number);
    if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new DerError(`bad object identifier ${dotted}`);
    const bytes: number[] = [];
    for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
      const base128 = [arc & 0x7f];
      for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) base128.unshift((rest & 0x7f) | 0x80);
      bytes.push(...base128);
    }
    return element(Tag.OID, Uint8Array.from(bytes));
  },
  octetString: (bytes: Uint8Array) => element(Tag.OCTET_STRING, bytes),
  /** a BIT STRING of whole bytes */
  bitString: (bytes: Uint8Array) => element(Tag.BIT_STRING, Uint8Array.of(0), bytes),
  /** a BIT STRING of flags (key usage), trailing zero bits dropped as DER wants */
  bitFlags(flags: readonly boolean[]): Uint8Array {
    const last = flags.lastIndexOf(true);
    if (last < 0) return element(Tag.BIT_STRING, Uint8Array.of(0));
    const bytes = new Uint8Array(Math.floor(last / 8) + 1);
    flags.slice(0, last + 1).forEach((set, i) => {
      if (set) bytes[i >> 3]! |= 0x80 >> (i & 7);
    });
    return element(Tag.BIT_STRING, Uint8Array.of(7 - (last % 8)), bytes);
  },
  utf8String: (text: string) => element(Tag.UTF8_STRING, Buffer.from(text, 'utf8')),
  printableString(text: string): Uint8Array {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new DerError(`not a PrintableString: ${text}`);
    return element(Tag.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
  },
  ia5String(text: string): Uint8Array {
    if (!/^[\x00-\x7f]*$/.test(text)) throw new DerError('not an IA5String (ASCII only)');
    return element(Tag.IA5_STRING, Buffer.from(text, 'latin1'));
  },
  /** YYYYMMDDHHMMSSZ: DER GeneralizedTime has no fraction when the time has none */
  generalizedTime(date: Date): Uint8Array {
    const iso = date.toISOString();
    const fraction = iso.slice(20, 23).replace(/0+$/, '');
    const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${fraction ? `.${fraction}` : ''}Z`;
    return element(Tag.GENERALIZED_TIME, Buffer.from(text, 'latin1'));
  },
  /** YYMMDDHHMMSSZ, for years 1950 to 2049 */
  utcTime(date: Date): Uint8Array {
    const year = date.getUTCFullYear();
    if (year < 1950 || year > 2049) throw new DerError('UTCTime covers 1950 to 2049 only');
    const iso = date.toISOString();
    const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    return element(Tag.UTC_TIME, Buffer.from(text, 'latin1'));
  },
  /** [n] EXPLICIT around one encoded element */
  explicit: (tagNumber: number, inner: Uint8Array) => element(CONTEXT | CONSTRUCTED | tagNumber, inner),
  /** [n] IMPLICIT of a primitive value (e.g. a GeneralName dNSName) */
  implicitPrimitive: (tagNumber: number, content: Uint8Array) => element(CONTEXT | tagNumber, content),
} as const;

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
