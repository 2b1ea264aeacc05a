/** Appends bits, most significant first, to a byte array that grows as needed. */
export class BitWriter {
  /** The bytes written so far live in `bytes[0 .. byteLength)`; the rest is spare capacity. */
  bytes: Uint8Array;
  /** Number of bits written. */
  bitLength = 0;

  constructor(initialCapacity = 32) {
    this.bytes = zeroed(initialCapacity);
  }

  /** Bytes in use, the last one possibly partial. */
  get byteLength(): number {
    return (this.bitLength + 7) >>> 3;
  }

  /** Writes the low `n` bits of `value` (0 ≤ n ≤ 32), highest first. */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    this.reserve(n);
    const bytes = this.bytes;
    let bit = this.bitLength;
    let left = n;
    while (left > 0) {
      const free = 8 - (bit & 7);
      const take = Math.min(free, left);
      // `>>> 0` keeps bit 31 positive; the mask keeps only the `take` bits wanted.
      const chunk = ((value >>> (left - take)) & ((1 << take) - 1)) >>> 0;
      bytes[bit >>> 3]! |= chunk << (free - take);
      bit += take;
      left -= take;
    }
    this.bitLength = bit;
  }

  /** Writes one bit. */
  writeBit(on: boolean): void {
    this.reserve(1);
    if (on) this.bytes[this.bitLength >>> 3]! |= 0x80 >>> (this.bitLength & 7);
    this.bitLength++;
  }

  /** Writes `n` (0 ≤ n ≤ 64) low bits of the 64-bit value `hi:lo`. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** Writes `value` (a non-negative safe integer) as an unsigned LEB128 varint, byte-aligned to the bit stream. */
  writeUvarint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.writeBits((v % 0x80) | 0x80, 8);
      v = Math.floor(v / 0x80);
    }
    this.writeBits(v, 8);
  }

  /** Writes a signed safe integer as a zig-zag varint. */
  writeVarint(value: number): void {
    this.writeUvarint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  /** Copies the used bytes out. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    out.set(this.bytes.subarray(0, out.length));
    return out;
  }

  /** Makes room for at least `bytes` bytes in total, so a caller that can predict its size grows once. */
  ensureCapacity(bytes: number): void {
    if (bytes <= this.bytes.length) return;
    const grown = zeroed(bytes);
    grown.set(this.bytes.subarray(0, this.byteLength));
    this.bytes = grown;
  }

  private reserve(bits: number): void {
    const need = (this.bitLength + bits + 7) >>> 3;
    // Grow by half (not double): a head chunk holds ~150 bytes, so slack is memory per series.
    if (need > this.bytes.length)
      this.ensureCapacity(Math.max(need, this.bytes.length + (this.bytes.length >>> 1) + 8));
  }
}

/**
 * `n` zero bytes. Small ones come from Node's shared Buffer pool: an own ArrayBuffer costs ~400 bytes
 * of bookkeeping beyond 64 bytes, more than a whole head chunk's samples.
 */
export function zeroed(n: number): Uint8Array {
  return Buffer.allocUnsafe(n).fill(0);
}
