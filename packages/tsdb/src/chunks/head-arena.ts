import { ChunkIterator } from './chunk-iterator.js';
import { bitsHi, bitsLo, loadBits } from './float-bits.js';
import type { HeadAppendResult } from './head-chunks.js';
import { SealedChunks, widened } from './sealed-chunks.js';
import { type ChunkLimits, DEFAULT_MAX_BYTES, DEFAULT_MAX_SAMPLES, XorChunk } from './xor-chunk.js';
import { ctz32, fitsBucket, MAX_TIMESTAMP, splitInt64 } from './xor-encoding.js';

// The most one sample can take: a 10-byte varint delta (second sample) or 68 bits of delta-of-delta, plus
// 77 bits of XOR value; a slot always has this much room before an append, so writes need no bounds checks.
const SAMPLE_MAX_BYTES = 24;
const MIN_ARENA_BYTES = 64 * 1024;
// A buffer past this size is made at least MAPPED_BYTES long: glibc then always gives it its own memory mapping
// (its mmap threshold never exceeds 32 MiB), so the buffer a compaction replaces goes back to the OS when
// collected, and pages not yet written are never resident. Smaller freed buffers may stay in malloc's heap.
// Either way the arena compacts once it has used a quarter more than its live slots needed (`limit`).
const LARGE_ARENA_BYTES = 8 * 1024 * 1024;
const MAPPED_BYTES = 33 * 1024 * 1024;

/**
 * The open (head) chunk of every series, XOR-encoded exactly as XorChunk encodes it, but with no object per
 * series: the appender state lives in typed-array columns indexed by series id, and the encoded bytes in
 * slots of one shared buffer. A slot that grows moves to the end of the buffer; once the buffer holds a quarter
 * more than its live slots need, it is replaced by a compacted copy. A full chunk is cut in place: its slot stays, listed in `sealed`, until the
 * flush that writes it calls `releaseSealed`. Slots move, so readers get copies (`snapshot`), never views.
 */
export class HeadArena {
  /** Chunks closed since the last `releaseSealed`, oldest first; read their bytes with `sealedPayload`. */
  readonly sealed = new SealedChunks();
  private readonly maxSamples: number;
  private readonly maxBytes: number;
  private bytes = new Uint8Array(MIN_ARENA_BYTES);
  private top = 0;
  private limit = MIN_ARENA_BYTES;
  private live = 0;
  // One past the highest id that ever had a slot.
  private end = 0;
  // Columns by series id; cap 0 means no open chunk.
  private slot = new Uint32Array(0);
  private cap = new Uint32Array(0);
  private bits = new Uint32Array(0);
  private n = new Uint32Array(0);
  private minT = new Float64Array(0);
  private maxT = new Float64Array(0);
  private delta = new Float64Array(0);
  // Previous value's bits.
  private hi = new Int32Array(0);
  private lo = new Int32Array(0);
  // XOR window; leading 0xff: none yet.
  private leading = new Uint8Array(0);
  private trailing = new Uint8Array(0);
  // 1: restored from a stored payload whose appender state is not decoded yet.
  private pending = new Uint8Array(0);

  constructor(limits: ChunkLimits = {}) {
    this.maxSamples = limits.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /** Series with an open chunk. */
  get size(): number {
    return this.live;
  }

  /** One past the highest series id that may have an open chunk: iterate ids below it with `has`. */
  get idLimit(): number {
    return this.end;
  }

  /** Whether series `id` has an open chunk (possibly empty). Any number is accepted. */
  has(id: number): boolean {
    const cap = this.cap[id];
    return cap !== undefined && cap !== 0;
  }

  /** Samples in the open chunk of `id` (0 without one). */
  count(id: number): number {
    return this.has(id) ? this.n[id]! : 0;
  }

  /** First and last timestamps of the open chunk of `id`, which must have samples. */
  minTime(id: number): number {
    return this.minT[id]!;
  }

  /** See minTime. */
  maxTime(id: number): number {
    return this.maxT[id]!;
  }

  /** Appends a sample to series `id` (a valid series id), opening its chunk when it has none. */
  append(id: number, t: number, v: number): HeadAppendResult {
    if (!Number.isInteger(t) || t > MAX_TIMESTAMP || t < -MAX_TIMESTAMP) return 'bad_timestamp';
    if (!this.has(id)) this.open(id);
    let n = this.n[id]!;
    if (n > 0) {
      const last = this.maxT[id]!;
      if (t === last) return 'duplicate';
      if (t < last) return 'out_of_order';
      if (n >= this.maxSamples || (this.bits[id]! + 7) >>> 3 >= this.maxBytes) {
        this.cut(id);
        n = 0;
      } else if (this.pending[id] === 1) {
        this.decodePending(id);
      }
    }
    let bit = this.bits[id]!;
    if ((bit >>> 3) + SAMPLE_MAX_BYTES > this.cap[id]!) this.grow(id);
    const b = this.bytes;
    const base = this.slot[id]!;
    loadBits(v);
    const hi = bitsHi() | 0;
    const lo = bitsLo() | 0;
    if (n === 0) {
      bit = putUvarint(b, base, bit, t < 0 ? -2 * t - 1 : 2 * t);
      bit = putBits(b, base, bit, hi, 32);
      bit = putBits(b, base, bit, lo, 32);
      this.minT[id] = t;
    } else {
      const delta = t - this.maxT[id]!;
      if (n === 1) bit = putUvarint(b, base, bit, delta);
      else bit = putDod(b, base, bit, delta - this.delta[id]!);
      this.delta[id] = delta;
      bit = this.putXor(id, b, base, bit, hi, lo);
    }
    this.bits[id] = bit;
    this.maxT[id] = t;
    this.hi[id] = hi;
    this.lo[id] = lo;
    this.n[id] = n + 1;
    return 'ok';
  }

  /** A frozen copy of the open chunk of `id` (undefined when it has none or it is empty), for a reader. */
  snapshot(id: number): XorChunk | undefined {
    const n = this.count(id);
    if (n === 0) return undefined;
    const start = this.slot[id]!;
    const payload = this.bytes.slice(start, start + ((this.bits[id]! + 7) >>> 3));
    return XorChunk.fromPayload(payload, n, this.minT[id]!, this.maxT[id]!);
  }

  /** A frozen copy of sealed chunk `i`. */
  sealedSnapshot(i: number): XorChunk {
    const s = this.sealed;
    const start = s.slot[i]!;
    return XorChunk.fromPayload(this.bytes.slice(start, start + s.bytes[i]!), s.count[i]!, s.minT[i]!, s.maxT[i]!);
  }

  /** The encoded samples of sealed chunk `i`, as a view valid until the next append. */
  sealedPayload(i: number): Uint8Array {
    const start = this.sealed.slot[i]!;
    return this.bytes.subarray(start, start + this.sealed.bytes[i]!);
  }

  /** Forgets the sealed chunks (they are in the file now); their slots are reclaimed by the next compaction. */
  releaseSealed(): void {
    this.sealed.clear();
  }

  /** The encoded samples of the open chunk of `id`, as a view valid until the next append. */
  payload(id: number): Uint8Array {
    const start = this.slot[id]!;
    return this.bytes.subarray(start, start + ((this.bits[id]! + 7) >>> 3));
  }

  /** Makes `chunk` (a copy of it) the open chunk of series `id`; appends continue after its last sample. */
  restore(id: number, chunk: XorChunk): void {
    this.take(id);
    this.open(id, chunk.byteLength + SAMPLE_MAX_BYTES);
    chunk.copyPayload(this.bytes, this.slot[id]!);
    this.bits[id] = chunk.byteLength * 8;
    this.n[id] = chunk.count;
    this.minT[id] = chunk.minTime;
    this.maxT[id] = chunk.maxTime;
    this.pending[id] = chunk.count > 0 ? 1 : 0;
  }

  /** Drops the open chunk of series `id`, if any (retention). */
  take(id: number): void {
    if (!this.has(id)) return;
    this.cap[id] = 0;
    this.live--;
  }

  private open(id: number, bytes = 32): void {
    if (id >= this.cap.length) this.widen(id + 1);
    if (id >= this.end) this.end = id + 1;
    this.live++;
    this.slot[id] = this.alloc(bytes);
    this.cap[id] = bytes;
    this.resetState(id);
    this.minT[id] = 0;
    this.maxT[id] = 0;
  }

  private resetState(id: number): void {
    this.n[id] = 0;
    this.bits[id] = 0;
    this.delta[id] = 0;
    this.leading[id] = 0xff;
    this.trailing[id] = 0;
    this.pending[id] = 0;
  }

  // Seals the full chunk where it is and starts an empty one in a fresh, small slot.
  private cut(id: number): void {
    const used = (this.bits[id]! + 7) >>> 3;
    this.sealed.push(id, this.slot[id]!, used, this.n[id]!, this.minT[id]!, this.maxT[id]!);
    const size = roomFor(Math.min(used, 32));
    this.cap[id] = 0; // not copied if alloc compacts
    this.slot[id] = this.alloc(size);
    this.cap[id] = size;
    this.resetState(id);
  }

  // Moves the slot of `id` to the end of the buffer with room to grow.
  private grow(id: number): void {
    const used = (this.bits[id]! + 7) >>> 3;
    const size = roomFor(used);
    // A compaction gives every slot room to grow, this one included.
    if (this.top + size > this.limit) {
      this.compact(0);
      return;
    }
    const at = this.alloc(size);
    const from = this.slot[id]!;
    this.bytes.copyWithin(at, from, from + used);
    this.slot[id] = at;
    this.cap[id] = size;
  }

  // Reserves `size` zeroed bytes at the end; a full buffer is replaced by a compacted one first.
  private alloc(size: number): number {
    if (this.top + size > this.limit) this.compact(size);
    const at = this.top;
    this.top += size;
    return at;
  }

  // Copies every live slot, with fresh room to grow, into a new buffer with a quarter more space than that.
  private compact(extra: number): void {
    const sealed = this.sealed;
    let need = extra;
    for (let id = 0; id < this.end; id++) if (this.cap[id] !== 0) need += roomFor((this.bits[id]! + 7) >>> 3);
    for (let i = 0; i < sealed.length; i++) need += sealed.bytes[i]!;
    this.limit = Math.max(MIN_ARENA_BYTES, need + (need >>> 2));
    const size = this.limit > LARGE_ARENA_BYTES ? Math.max(this.limit, MAPPED_BYTES) : this.limit;
    const old = this.bytes;
    const next = new Uint8Array((size + 4095) & ~4095);
    let top = 0;
    for (let i = 0; i < sealed.length; i++) {
      const from = sealed.slot[i]!;
      next.set(old.subarray(from, from + sealed.bytes[i]!), top);
      sealed.slot[i] = top;
      top += sealed.bytes[i]!;
    }
    for (let id = 0; id < this.end; id++) {
      if (this.cap[id] === 0) continue;
      const from = this.slot[id]!;
      const used = (this.bits[id]! + 7) >>> 3;
      if (used > 0) next.set(old.subarray(from, from + used), top);
      this.slot[id] = top;
      this.cap[id] = roomFor(used);
      top += this.cap[id]!;
    }
    this.bytes = next;
    this.top = top;
  }

  private widen(min: number): void {
    const size = Math.max(min, 1024, this.cap.length + (this.cap.length >>> 1));
    this.slot = widened(this.slot, size);
    this.cap = widened(this.cap, size);
    this.bits = widened(this.bits, size);
    this.n = widened(this.n, size);
    this.minT = widened(this.minT, size);
    this.maxT = widened(this.maxT, size);
    this.delta = widened(this.delta, size);
    this.hi = widened(this.hi, size);
    this.lo = widened(this.lo, size);
    this.leading = widened(this.leading, size);
    this.trailing = widened(this.trailing, size);
    this.pending = widened(this.pending, size);
  }

  // A restored chunk carries no appender state: decode it once, and clear stray bits after its last sample.
  private decodePending(id: number): void {
    const it = new ChunkIterator(this.payload(id), this.n[id]!);
    while (it.next()) {}
    const state = it.appenderState();
    const start = this.slot[id]!;
    const used = (state.bitLength + 7) >>> 3;
    const end = start + ((this.bits[id]! + 7) >>> 3);
    if (state.bitLength & 7) this.bytes[start + used - 1]! &= 0xff << (8 - (state.bitLength & 7));
    this.bytes.fill(0, start + used, end);
    this.bits[id] = state.bitLength;
    this.maxT[id] = state.maxTime;
    this.delta[id] = state.delta;
    this.hi[id] = state.hi | 0;
    this.lo[id] = state.lo | 0;
    this.leading[id] = state.leading;
    this.trailing[id] = state.trailing;
    this.pending[id] = 0;
  }

  private putXor(id: number, b: Uint8Array, base: number, at: number, hi: number, lo: number): number {
    const xh = (hi ^ this.hi[id]!) >>> 0;
    const xl = (lo ^ this.lo[id]!) >>> 0;
    if (xh === 0 && xl === 0) return at + 1;
    let leading = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const trailing = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (leading > 31) leading = 31;
    const prevLeading = this.leading[id]!;
    const prevTrailing = this.trailing[id]!;
    let bit = at;
    if (prevLeading !== 0xff && leading >= prevLeading && trailing >= prevTrailing) {
      bit = putBits(b, base, bit, 0b10, 2);
      return putShifted(b, base, bit, xh, xl, prevTrailing, 64 - prevLeading - prevTrailing);
    }
    const sig = 64 - leading - trailing;
    bit = putBits(b, base, bit, 0b11, 2);
    bit = putBits(b, base, bit, leading, 5);
    bit = putBits(b, base, bit, sig & 63, 6);
    this.leading[id] = leading;
    this.trailing[id] = trailing;
    return putShifted(b, base, bit, xh, xl, trailing, sig);
  }
}

// Slot size for `used` bytes: room for a worst-case sample and an eighth more, so a growing chunk moves
// every ~10% of growth (each move leaves its old slot behind until the next compaction).
function roomFor(used: number): number {
  return used + SAMPLE_MAX_BYTES + 8 + (used >>> 3);
}

// Writes the low `n` (≤ 32) bits of `value`, highest first, at bit `bit` of the slot at byte `base`.
function putBits(b: Uint8Array, base: number, bit: number, value: number, n: number): number {
  let at = bit;
  let left = n;
  while (left > 0) {
    const free = 8 - (at & 7);
    const take = Math.min(free, left);
    const chunk = (value >>> (left - take)) & ((1 << take) - 1);
    b[base + (at >>> 3)]! |= chunk << (free - take);
    at += take;
    left -= take;
  }
  return at;
}

function putUvarint(b: Uint8Array, base: number, bit: number, value: number): number {
  let at = bit;
  let v = value;
  while (v >= 0x80) {
    at = putBits(b, base, at, (v % 0x80) | 0x80, 8);
    v = Math.floor(v / 0x80);
  }
  return putBits(b, base, at, v, 8);
}

function putDod(b: Uint8Array, base: number, bit: number, dod: number): number {
  if (dod === 0) return bit + 1;
  if (fitsBucket(dod, 14)) return putBits(b, base, putBits(b, base, bit, 0b10, 2), dod & 0x3fff, 14);
  if (fitsBucket(dod, 17)) return putBits(b, base, putBits(b, base, bit, 0b110, 3), dod & 0x1ffff, 17);
  if (fitsBucket(dod, 20)) return putBits(b, base, putBits(b, base, bit, 0b1110, 4), dod & 0xfffff, 20);
  const [hi, lo] = splitInt64(dod);
  return putBits(b, base, putBits(b, base, putBits(b, base, bit, 0b1111, 4), hi, 32), lo, 32);
}

// Writes the `n` low bits of (hi:lo) >>> shift.
function putShifted(b: Uint8Array, base: number, bit: number, hi: number, lo: number, shift: number, n: number) {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((l >>> shift) | (h << (32 - shift))) >>> 0;
    h >>>= shift;
  }
  if (n > 32) return putBits(b, base, putBits(b, base, bit, h, n - 32), l, 32);
  return putBits(b, base, bit, l, n);
}
