/**
 * Arithmetic on the SM2 curve (GB/T 32918.5 recommended parameters) with BigInt, in Jacobian
 * coordinates. Small on purpose: SM2 verification runs inside Lambda bundles with a 400 KB
 * budget, where an elliptic-curve library does not fit; KMS does the signing there. The
 * operations are not constant-time, which is fine for verification (public data) and for the
 * local development vault, but means this is no place for production private keys.
 */

export const SM2_CURVE = {
  p: BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF'),
  a: BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC'),
  b: BigInt('0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93'),
  n: BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123'),
  gx: BigInt('0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'),
  gy: BigInt('0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'),
} as const;

const { p, a, b, n } = SM2_CURVE;

/** (X, Y, Z) stands for the affine point (X/Z², Y/Z³); Z = 0 is the point at infinity. */
type Jacobian = readonly [bigint, bigint, bigint];

export interface AffinePoint {
  readonly x: bigint;
  readonly y: bigint;
}

const INFINITY: Jacobian = [1n, 1n, 0n];

const modP = (value: bigint) => {
  const r = value % p;
  return r < 0n ? r + p : r;
};

export function modN(value: bigint): bigint {
  const r = value % n;
  return r < 0n ? r + n : r;
}

/** Inverse modulo m by the extended Euclidean algorithm; `value` must be coprime to m. */
export function invert(value: bigint, m: bigint): bigint {
  let [r0, r1] = [((value % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return ((s0 % m) + m) % m;
}

/** Doubling with a = −3 (dbl-2001-b). */
function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const zz = modP(z * z);
  const yy = modP(y * y);
  const s = modP(4n * x * yy);
  const m = modP(3n * (x - zz) * (x + zz));
  const x3 = modP(m * m - 2n * s);
  return [x3, modP(m * (s - x3) - 8n * yy * yy), modP(2n * y * z)];
}

/** General addition (add-2007-bl without the common-Z shortcut). */
function add(p1: Jacobian, p2: Jacobian): Jacobian {
  if (p1[2] === 0n) return p2;
  if (p2[2] === 0n) return p1;
  const [x1, y1, z1] = p1;
  const [x2, y2, z2] = p2;
  const z1z1 = modP(z1 * z1);
  const z2z2 = modP(z2 * z2);
  const u1 = modP(x1 * z2z2);
  const u2 = modP(x2 * z1z1);
  const s1 = modP(y1 * z2 * z2z2);
  const s2 = modP(y2 * z1 * z1z1);
  const h = modP(u2 - u1);
  const r = modP(s2 - s1);
  if (h === 0n) return r === 0n ? double(p1) : INFINITY;
  const hh = modP(h * h);
  const hhh = modP(h * hh);
  const v = modP(u1 * hh);
  const x3 = modP(r * r - hhh - 2n * v);
  return [x3, modP(r * (v - x3) - s1 * hhh), modP(z1 * z2 * h)];
}

function toAffine([x, y, z]: Jacobian): AffinePoint | undefined {
  if (z === 0n) return undefined;
  const zInv = invert(z, p);
  const zInv2 = modP(zInv * zInv);
  return { x: modP(x * zInv2), y: modP(y * zInv2 * zInv) };
}

const WINDOW_BITS = 4;
const WINDOWS = 256 / WINDOW_BITS;

/** multiples 1..15 of a point, for the fixed 4-bit window */
function multiplesOf(point: Jacobian): Jacobian[] {
  const table: Jacobian[] = [INFINITY, point];
  for (let i = 2; i < 16; i++) table.push(add(table[i - 1]!, point));
  return table;
}

/** k·P by a fixed 4-bit window: 256 doublings and at most 64 additions. */
function multiply(point: Jacobian, k: bigint): Jacobian {
  const table = multiplesOf(point);
  let result = INFINITY;
  for (let window = WINDOWS - 1; window >= 0; window--) {
    for (let i = 0; i < WINDOW_BITS; i++) result = double(result);
    result = add(result, table[Number((k >> BigInt(window * WINDOW_BITS)) & 15n)]!);
  }
  return result;
}

/** j·16^i·P for every window i and digit j: about 1,000 additions once, then k·P costs at most 64 additions */
export type FixedPointTable = readonly (readonly Jacobian[])[];

export function fixedPointTable(point: AffinePoint): FixedPointTable {
  const table: Jacobian[][] = [];
  let windowBase: Jacobian = [point.x, point.y, 1n];
  for (let window = 0; window < WINDOWS; window++) {
    table.push(multiplesOf(windowBase));
    for (let i = 0; i < WINDOW_BITS; i++) windowBase = double(windowBase);
  }
  return table;
}

/** k·P from a point's table: no doublings */
function multiplyFixed(table: FixedPointTable, k: bigint): Jacobian {
  let result = INFINITY;
  for (let window = 0; window < WINDOWS; window++) {
    result = add(result, table[window]![Number((k >> BigInt(window * WINDOW_BITS)) & 15n)]!);
  }
  return result;
}

let baseTable: FixedPointTable | undefined;
const multiplyBase = (k: bigint) => multiplyFixed((baseTable ??= fixedPointTable({ x: SM2_CURVE.gx, y: SM2_CURVE.gy })), k);

export function baseMultiply(k: bigint): AffinePoint {
  const point = toAffine(multiplyBase(modN(k)));
  if (!point) throw new RangeError('k·G is the point at infinity');
  return point;
}

/**
 * The affine x of s·G + t·P (SM2 verification, GB/T 32918.2 §7.1 B6), undefined at infinity;
 * with P's table when the caller keeps one for a key it sees often.
 */
export function combinedMultiplyX(s: bigint, t: bigint, publicPoint: AffinePoint, table?: FixedPointTable): bigint | undefined {
  const tP = table ? multiplyFixed(table, t) : multiply([publicPoint.x, publicPoint.y, 1n], t);
  return toAffine(add(multiplyBase(s), tP))?.x;
}

export function isOnCurve({ x, y }: AffinePoint): boolean {
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return modP(y * y) === modP(x * x * x + a * x + b);
}
