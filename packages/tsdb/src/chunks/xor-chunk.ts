import { BitWriter, zeroed } from './bit-writer.js';
import { ChunkIterator } from './chunk-iterator.js';
import { bitsHi, bitsLo, loadBits } from './float-bits.js';
import { ctz32, fitsBucket, MAX_TIMESTAMP, splitInt64 } from './xor-encoding.js';

/**
 * What `append` did. Anything but 'ok' leaves the chunk unchanged: the caller counts it.
 * 'full' means the sample is in order but the chunk reached its cap: cut a new chunk.
 */
export type AppendResult = 'ok' | 'out_of_order' | 'duplicate' | 'bad_timestamp' | 'full';

/** Caps after which a chunk reports 'full'. */
export interface ChunkLimits {
  /** Samples per chunk (Prometheus: 120, two hours of 1-minute scrapes). */
  maxSamples?: number;
  /** Encoded payload bytes per chunk; a safety net for incompressible values. */
  maxBytes?: number;
}

/** Prometheus's sample cap per chunk. */
export const DEFAULT_MAX_SAMPLES = 120;
/** Byte cap per chunk; 120 random float64s take ~1.2 KB, so this only cuts unusually noisy series early. */
export const DEFAULT_MAX_BYTES = 1024;

/** The state an appender needs to continue a chunk, recovered by decoding when a stored chunk is reopened. */
export interface AppenderState {
  bitLength: number;
  maxTime: number;
  delta: number;
  hi: number;
  lo: number;
  leading: number;
  trailing: number;
}

/** A Gorilla-compressed chunk of (timestamp ms, float64) samples in strictly increasing time order. */
export class XorChunk {
  private readonly writer: BitWriter;
  private readonly maxSamples: number;
  private readonly maxBytes: number;
  private n = 0;
  private minT = 0;
  private maxT = 0;
  private delta = 0;
  // Previous value's bits, stored as int32 so V8 keeps them as small integers, not heap numbers.
  private hi = 0;
  private lo = 0;
  // 0xff: no XOR window yet.
  private leading = 0xff;
  private trailing = 0;
  private restored = true;

  /** `initialBytes` sizes the first buffer; a good guess (the series' previous chunk) saves regrowing it. */
  constructor(limits: ChunkLimits = {}, initialBytes = 32) {
    this.maxSamples = limits.maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
    this.writer = new BitWriter(initialBytes);
  }

  /** Rebuilds a chunk from its payload (see `decodeChunk`); appending to it decodes it once first. */
  static fromPayload(payload: Uint8Array, count: number, minTime: number, maxTime: number, limits?: ChunkLimits) {
    const chunk = new XorChunk(limits, 0);
    chunk.writer.bytes = payload;
    chunk.writer.bitLength = payload.length * 8;
    chunk.n = count;
    chunk.minT = minTime;
    chunk.maxT = maxTime;
    chunk.restored = count === 0;
    return chunk;
  }

  /** Samples in the chunk. */
  get count(): number {
    return this.n;
  }

  /** Timestamp of the first sample (0 when empty). */
  get minTime(): number {
    return this.minT;
  }

  /** Timestamp of the last sample (0 when empty). */
  get maxTime(): number {
    return this.maxT;
  }

  /** Encoded payload size in bytes. */
  get byteLength(): number {
    return this.writer.byteLength;
  }

  /** True once another sample would be refused with 'full'. */
  get isFull(): boolean {
    return this.n >= this.maxSamples || this.writer.byteLength >= this.maxBytes;
  }

  /**
   * Appends a sample; returns why not instead of throwing, so a hot loop can count rejections.
   * The first append to a chunk from `decodeChunk` decodes it once, and throws VIGIL_TSDB_CORRUPT_CHUNK if it is.
   */
  append(t: number, v: number): AppendResult {
    if (!Number.isInteger(t) || t > MAX_TIMESTAMP || t < -MAX_TIMESTAMP) return 'bad_timestamp';
    const n = this.n;
    if (n > 0) {
      if (t === this.maxT) return 'duplicate';
      if (t < this.maxT) return 'out_of_order';
      if (n >= this.maxSamples || this.writer.byteLength >= this.maxBytes) return 'full';
      if (!this.restored) this.restore();
    }
    const w = this.writer;
    loadBits(v);
    const hi = bitsHi();
    const lo = bitsLo();
    if (n === 0) {
      w.writeVarint(t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      if (n === 1) {
        w.writeUvarint(delta);
      } else {
        this.writeDod(delta - this.delta);
      }
      this.delta = delta;
      this.writeXor(hi, lo);
    }
    this.maxT = t;
    this.hi = hi | 0;
    this.lo = lo | 0;
    this.n = n + 1;
    return 'ok';
  }

  /** A lazy iterator over the samples present now; later appends do not disturb it. */
  iterator(): ChunkIterator {
    return new ChunkIterator(this.writer.bytes, this.n);
  }

  /** The encoded samples, exactly `byteLength` bytes (a copy). */
  payload(): Uint8Array {
    return this.writer.toBytes();
  }

  /** Copies the encoded samples (`byteLength` bytes) into `out` at `offset`, with no intermediate copy. */
  copyPayload(out: Uint8Array, offset: number): void {
    out.set(this.writer.bytes.subarray(0, this.writer.byteLength), offset);
  }

  private writeDod(dod: number): void {
    const w = this.writer;
    if (dod === 0) {
      w.writeBit(false);
    } else if (fitsBucket(dod, 14)) {
      w.writeBits(0b10, 2);
      w.writeBits(dod & 0x3fff, 14);
    } else if (fitsBucket(dod, 17)) {
      w.writeBits(0b110, 3);
      w.writeBits(dod & 0x1ffff, 17);
    } else if (fitsBucket(dod, 20)) {
      w.writeBits(0b1110, 4);
      w.writeBits(dod & 0xfffff, 20);
    } else {
      w.writeBits(0b1111, 4);
      const [hi, lo] = splitInt64(dod);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    }
  }

  private writeXor(hi: number, lo: number): void {
    const w = this.writer;
    const xh = (hi ^ this.hi) >>> 0;
    const xl = (lo ^ this.lo) >>> 0;
    if (xh === 0 && xl === 0) {
      w.writeBit(false);
      return;
    }
    let leading = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const trailing = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    if (leading > 31) leading = 31;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBits(0b10, 2);
      writeShifted(w, xh, xl, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    const sig = 64 - leading - trailing;
    w.writeBits(0b11, 2);
    w.writeBits(leading, 5);
    w.writeBits(sig & 63, 6);
    writeShifted(w, xh, xl, trailing, sig);
    this.leading = leading;
    this.trailing = trailing;
  }

  // A stored chunk carries no appender state: decode it once to learn where the bits end and what came last.
  private restore(): void {
    const it = this.iterator();
    while (it.next()) {}
    const state = it.appenderState();
    const w = this.writer;
    const used = (state.bitLength + 7) >>> 3;
    const bytes = zeroed(Math.max(used + 16, 32));
    bytes.set(w.bytes.subarray(0, used));
    // Clear stray bits after the last sample so later appends OR into zeros.
    if (state.bitLength & 7) bytes[used - 1]! &= 0xff << (8 - (state.bitLength & 7));
    w.bytes = bytes;
    w.bitLength = state.bitLength;
    this.maxT = state.maxTime;
    this.delta = state.delta;
    this.hi = state.hi | 0;
    this.lo = state.lo | 0;
    this.leading = state.leading;
    this.trailing = state.trailing;
    this.restored = true;
  }
}

// Writes the `n` low bits of (hi:lo) >>> shift.
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((l >>> shift) | (h << (32 - shift))) >>> 0;
    h >>>= shift;
  }
  w.writeBits64(h, l, n);
}
