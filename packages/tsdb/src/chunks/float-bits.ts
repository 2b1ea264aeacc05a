// One scratch buffer converts between a float64 and its two 32-bit halves without allocating.
// Reads and writes through typed arrays keep NaN payloads (e.g. the staleness marker) bit-exact.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** Prometheus's staleness marker, a NaN with a specific payload: bits 0x7ff0000000000002. */
export const STALE_NAN: number = fromBits(0x7ff00000, 0x00000002);

/** Stores `value`'s bits; read them with `bitsHi()` / `bitsLo()` before the next call. */
export function loadBits(value: number): void {
  f64[0] = value;
}

/** High 32 bits (sign, exponent, top of the mantissa) of the last value given to loadBits. */
export function bitsHi(): number {
  return u32[HI]!;
}

/** Low 32 bits of the last value given to loadBits. */
export function bitsLo(): number {
  return u32[LO]!;
}

/** The float64 whose bits are `hi:lo` (unsigned 32-bit halves). */
export function fromBits(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

/** True when `value` is the staleness marker itself, not just any NaN. */
export function isStaleNaN(value: number): boolean {
  f64[0] = value;
  return u32[HI] === 0x7ff00000 && u32[LO] === 0x00000002;
}
