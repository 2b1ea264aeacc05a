// A second chunk encoding for closed chunks whose values are all decimals with few digits (integer counters,
// byte gauges, CPU seconds in 1/100 s, load averages): each value v is stored as the integer x = v × 10^scale,
// and the integers as deltas or delta-of-deltas in variable-width buckets. Gorilla's XOR of float64 bits
// spends ~50 bits on a CPU-seconds counter that moved by 12.34; this spends ~15. Timestamps are delta-of-deltas
// in the same buckets (so a scrape a few ms late costs 6 bits, not the XOR chunk's 16). Blob:
//
//   [2][count uvarint][minTime zig-zag varint][maxTime − minTime uvarint][mode u8: scale | 0x80 if dod]
//   bit stream: t0 zig-zag varint, x0 zig-zag varint; t1 − t0 uvarint, bucket(x1 − x0);
//               then bucket(ΔΔt), bucket(Δx) or bucket(ΔΔx)
//   bucket(d): zig-zag u = 2|d| or 2|d| − 1, '0' when u = 0, else a unary prefix of k ones and a zero
//              (no zero after the last) choosing WIDTHS[k − 1] bits of u.
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { corruptChunk } from './corrupt.js';

/** First byte of a decimal chunk blob. */
export const CHUNK_ENCODING_DECIMAL = 2;

const WIDTHS = [4, 8, 12, 16, 24, 32, 54];
// Per bucket: the first zig-zag value that no longer fits, and the prefix bits and their count.
const LIMITS = WIDTHS.map((w) => 2 ** w);
const PREFIX = WIDTHS.map((_, k) => (k === WIDTHS.length - 1 ? 2 ** (k + 1) - 1 : (2 ** (k + 1) - 1) * 2));
const PREFIX_BITS = WIDTHS.map((_, k) => (k === WIDTHS.length - 1 ? k + 1 : k + 2));
const MAX_SCALE = 9;
// |x| ≤ 2^50 keeps every delta-of-delta's zig-zag value within 2^53 (exact in a double).
const MAX_INT = 2 ** 50;
const POW10 = Array.from({ length: MAX_SCALE + 1 }, (_, i) => 10 ** i);
const TWO_32 = 4294967296;
// Scratch for the scaled integers of the chunk being encoded.
let scaled = new Float64Array(256);

/**
 * Encodes samples as a decimal chunk, with deltas or delta-of-deltas, whichever is smaller; undefined when some
 * value is not a decimal of at most 9 fraction digits within ±2^50 (NaN, infinities, -0, noisy floats), or when
 * the result would not be smaller than `notAbove` payload bytes (the XOR chunk's, say).
 */
export function encodeDecimal(
  t: ArrayLike<number>,
  v: Float64Array,
  count: number,
  notAbove = Number.POSITIVE_INFINITY,
): Buffer | undefined {
  // A time span within 2^50 ms keeps every timestamp delta-of-delta's zig-zag value exact.
  if (count === 0 || t[count - 1]! - t[0]! > MAX_INT) return undefined;
  const scale = commonScale(v, count);
  if (scale === undefined) return undefined;
  const p = POW10[scale]!;
  if (scaled.length < count) scaled = new Float64Array(count);
  const x = scaled;
  for (let i = 0; i < count; i++) x[i] = Math.round(v[i]! * p);
  // Timestamps cost the same either way: compare the value bits, then write only the smaller.
  const byDelta = valueBits(x, count, false);
  const byDod = valueBits(x, count, true);
  const dod = byDod < byDelta;
  const bits = stream(t, x, count, dod);
  if (bits.byteLength + 1 >= notAbove) return undefined;
  const header: number[] = [CHUNK_ENCODING_DECIMAL];
  pushUvarint(header, count);
  const min = t[0]!;
  pushUvarint(header, min < 0 ? -2 * min - 1 : 2 * min);
  pushUvarint(header, t[count - 1]! - min);
  header.push(scale | (dod ? 0x80 : 0));
  const out = Buffer.allocUnsafe(header.length + bits.byteLength);
  out.set(header, 0);
  out.set(bits.bytes.subarray(0, bits.byteLength), header.length);
  return out;
}

/** Decodes a decimal chunk's samples one at a time (`payload` starts after the mode byte). */
export class DecimalIterator {
  t = 0;
  v = 0;
  private readonly r: BitReader;
  private readonly total: number;
  private readonly scale: number;
  private readonly dod: boolean;
  private i = 0;
  private x = 0;
  private dx = 0;
  private dt = 0;

  /** `mode` is the byte after the header (scale | 0x80 for delta-of-deltas). */
  constructor(payload: Uint8Array, count: number, mode: number) {
    this.r = new BitReader(payload);
    this.total = count;
    this.scale = POW10[mode & 0x7f] ?? Number.NaN;
    this.dod = (mode & 0x80) !== 0;
    if (Number.isNaN(this.scale)) throw corruptChunk(`decimal chunk has scale ${mode & 0x7f}`);
  }

  /** Moves to the next sample; false once the chunk is exhausted. */
  next(): boolean {
    if (this.i >= this.total) return false;
    try {
      this.decode();
    } catch (err) {
      this.i = this.total;
      throw corruptChunk(`decimal chunk payload is corrupt at sample ${this.i}: ${String(err)}`);
    }
    this.i++;
    return true;
  }

  private decode(): void {
    const r = this.r;
    if (this.i === 0) {
      this.t = r.readVarint();
      this.x = r.readVarint();
    } else if (this.i === 1) {
      this.dt = r.readUvarint();
      this.t += this.dt;
      this.dx = readBucket(r);
      this.x += this.dx;
    } else {
      this.dt += readBucket(r);
      this.t += this.dt;
      const d = readBucket(r);
      if (this.dod) this.dx += d;
      else this.dx = d;
      this.x += this.dx;
    }
    this.v = this.scale === 1 ? this.x : this.x / this.scale;
  }
}

// The smallest number of fraction digits that represents every value exactly, or undefined.
function commonScale(v: Float64Array, count: number): number | undefined {
  let scale = 0;
  for (let i = 0; i < count; i++) {
    const value = v[i]!;
    if (!Number.isFinite(value) || Object.is(value, -0) || Math.abs(value) > MAX_INT) return undefined;
    while (!exact(value, scale)) {
      if (++scale > MAX_SCALE) return undefined;
    }
  }
  // A larger scale found later must still hold for the earlier values (it does for exact decimals; check).
  for (let i = 0; i < count; i++) if (!exact(v[i]!, scale)) return undefined;
  return scale;
}

function exact(value: number, scale: number): boolean {
  const p = POW10[scale]!;
  const x = Math.round(value * p);
  return Math.abs(x) <= MAX_INT && (scale === 0 ? x === value : x / p === value);
}

function stream(t: ArrayLike<number>, x: Float64Array, count: number, dod: boolean): BitWriter {
  const w = new BitWriter(count * 3 + 16);
  w.writeVarint(t[0]!);
  w.writeVarint(x[0]!);
  let dt = 0;
  let dx = 0;
  for (let i = 1; i < count; i++) {
    const ndt = t[i]! - t[i - 1]!;
    const ndx = x[i]! - x[i - 1]!;
    if (i === 1) {
      w.writeUvarint(ndt);
      writeBucket(w, ndx);
    } else {
      writeBucket(w, ndt - dt);
      writeBucket(w, dod ? ndx - dx : ndx);
    }
    dt = ndt;
    dx = ndx;
  }
  return w;
}

// Bits the values after the second take as buckets of deltas or delta-of-deltas.
function valueBits(x: Float64Array, count: number, dod: boolean): number {
  let bits = 0;
  let dx = count > 1 ? x[1]! - x[0]! : 0;
  for (let i = 2; i < count; i++) {
    const ndx = x[i]! - x[i - 1]!;
    const d = dod ? ndx - dx : ndx;
    dx = ndx;
    const u = d < 0 ? -2 * d - 1 : 2 * d;
    if (u === 0) {
      bits++;
      continue;
    }
    let k = 0;
    while (k < LIMITS.length - 1 && u >= LIMITS[k]!) k++;
    bits += PREFIX_BITS[k]! + WIDTHS[k]!;
  }
  return bits;
}

function writeBucket(w: BitWriter, d: number): void {
  const u = d < 0 ? -2 * d - 1 : 2 * d;
  if (u === 0) {
    w.writeBit(false);
    return;
  }
  let k = 0;
  while (k < LIMITS.length && u >= LIMITS[k]!) k++;
  if (k === LIMITS.length) throw new RangeError(`delta ${d} does not fit a decimal chunk`);
  w.writeBits(PREFIX[k]!, PREFIX_BITS[k]!);
  const width = WIDTHS[k]!;
  if (width > 32) w.writeBits64(Math.floor(u / TWO_32), u % TWO_32, width);
  else w.writeBits(u, width);
}

function readBucket(r: BitReader): number {
  let k = 0;
  while (k < WIDTHS.length && r.readBit()) k++;
  if (k === 0) return 0;
  const width = WIDTHS[k - 1]!;
  const u = width > 32 ? r.readBits(width - 32) * TWO_32 + r.readBits(32) : r.readBits(width);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

function pushUvarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
