import { BitReader } from './bit-reader.js';
import { corruptChunk } from './corrupt.js';
import { fromBits } from './float-bits.js';
import type { AppenderState } from './xor-chunk.js';
import { joinInt64, signBucket } from './xor-encoding.js';

const DOD_BITS = [0, 14, 17, 20, 64] as const;

/**
 * Decodes a chunk one sample at a time. Read `t` and `v` after `next()` or `seek()` returned true;
 * nothing is allocated per sample, and a NaN payload in `v` is the one that was appended.
 */
export class ChunkIterator {
  /** Timestamp (ms) of the current sample. */
  t = 0;
  /** Value of the current sample. */
  v = 0;
  private readonly reader: BitReader;
  private readonly total: number;
  private i = 0;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  private leading = 0;
  private trailing = 0;
  private leadingSeen = false;

  /** Iterates the first `count` samples encoded in `payload`. */
  constructor(payload: Uint8Array, count: number) {
    this.reader = new BitReader(payload);
    this.total = count;
  }

  /** Moves to the next sample; false once the chunk is exhausted. */
  next(): boolean {
    if (this.i >= this.total) return false;
    try {
      this.decode();
    } catch (err) {
      this.i = this.total;
      throw corruptChunk(`chunk payload is corrupt at sample ${this.i}: ${String(err)}`);
    }
    this.i++;
    return true;
  }

  /**
   * Moves to the first sample at or after `t` and returns true, or returns false when there is none.
   * Like Prometheus, it never moves backwards: a current sample already at or after `t` stays current.
   */
  seek(t: number): boolean {
    if (this.i > 0 && this.t >= t) return true;
    while (this.next()) {
      if (this.t >= t) return true;
    }
    return false;
  }

  /** The state an appender needs to continue after the last decoded sample. */
  appenderState(): AppenderState {
    return {
      bitLength: this.reader.bit,
      maxTime: this.t,
      delta: this.delta,
      hi: this.hi,
      lo: this.lo,
      leading: this.leadingSeen ? this.leading : 0xff,
      trailing: this.trailing,
    };
  }

  private decode(): void {
    const r = this.reader;
    const i = this.i;
    if (i === 0) {
      this.t = r.readVarint();
      this.hi = r.readBits(32);
      this.lo = r.readBits(32);
      this.v = fromBits(this.hi, this.lo);
      return;
    }
    if (i === 1) {
      this.delta = r.readUvarint();
    } else {
      let prefix = 0;
      while (prefix < 4 && r.readBit()) prefix++;
      if (prefix > 0) {
        const n = DOD_BITS[prefix]!;
        this.delta += n === 64 ? joinInt64(r.readBits(32), r.readBits(32)) : signBucket(r.readBits(n), n);
      }
    }
    this.t += this.delta;
    if (!r.readBit()) return;
    if (r.readBit()) {
      this.leading = r.readBits(5);
      const sig = r.readBits(6) || 64;
      this.trailing = 64 - this.leading - sig;
      if (this.trailing < 0) throw new RangeError(`XOR window of ${this.leading} + ${sig} bits exceeds 64`);
      this.leadingSeen = true;
    } else if (!this.leadingSeen) {
      throw new RangeError('XOR value reuses a window before any was set');
    }
    const sig = 64 - this.leading - this.trailing;
    let h = 0;
    let l: number;
    if (sig > 32) {
      h = r.readBits(sig - 32);
      l = r.readBits(32);
    } else {
      l = r.readBits(sig);
    }
    const s = this.trailing;
    if (s >= 32) {
      h = (l << (s - 32)) >>> 0;
      l = 0;
    } else if (s > 0) {
      h = ((h << s) | (l >>> (32 - s))) >>> 0;
      l = (l << s) >>> 0;
    }
    this.hi = (this.hi ^ h) >>> 0;
    this.lo = (this.lo ^ l) >>> 0;
    this.v = fromBits(this.hi, this.lo);
  }
}
