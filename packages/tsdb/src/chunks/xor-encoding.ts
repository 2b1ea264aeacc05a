// The bit layout shared by the XOR chunk's appender and iterator (Gorilla, as Prometheus's XOR chunk):
//
//   sample 0   t0 as a zig-zag varint, v0 as 64 raw bits
//   sample 1   t1 - t0 as an unsigned varint, v1 XOR-encoded
//   sample n   dod = (tn - tn-1) - (tn-1 - tn-2):
//                '0'                  dod == 0
//                '10'   + 14 bits     -8191 ≤ dod ≤ 8192
//                '110'  + 17 bits     -65535 ≤ dod ≤ 65536
//                '1110' + 20 bits     -524287 ≤ dod ≤ 524288
//                '1111' + 64 bits     anything else (two's complement)
//              then vn XOR-encoded
//   XOR value  x = bits(vn) ^ bits(vn-1):
//                '0'                  x == 0
//                '10' + m bits        x fits the previous window: m = 64 - leading - trailing of that window
//                '11' + 5 bits leading (capped at 31) + 6 bits m (64 written as 0) + m bits   a new window

/** Timestamps must be integers within ±2^52 ms, so every delta and delta-of-delta is an exact float64. */
export const MAX_TIMESTAMP = 2 ** 52;

const TWO_32 = 4294967296;

/** Count of trailing zero bits of a non-zero 32-bit value. */
export function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** True when `dod` fits an n-bit bucket as Prometheus reads it back: -(2^(n-1) - 1) ≤ dod ≤ 2^(n-1). */
export function fitsBucket(dod: number, n: number): boolean {
  const half = 2 ** (n - 1);
  return dod >= 1 - half && dod <= half;
}

/** Splits a signed integer (|x| < 2^63 and exact) into two's complement 32-bit halves. */
export function splitInt64(x: number): [hi: number, lo: number] {
  const hi = Math.floor(x / TWO_32);
  return [hi >>> 0, x - hi * TWO_32];
}

/** Joins two's complement 32-bit halves back into a number (exact within ±2^53). */
export function joinInt64(hi: number, lo: number): number {
  return (hi | 0) * TWO_32 + lo;
}

/** Reads an n-bit two's complement bucket value the way Prometheus does (see fitsBucket). */
export function signBucket(bits: number, n: number): number {
  return bits > 2 ** (n - 1) ? bits - 2 ** n : bits;
}
