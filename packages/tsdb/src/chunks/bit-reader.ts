/** Reads bits, most significant first, from bytes written by a BitWriter. */
export class BitReader {
  private readonly bytes: Uint8Array;
  private readonly end: number;
  /** Position of the next bit to read. */
  bit: number;

  /** Reads `bytes[start ..]` up to `bitLength` bits (default: every bit of the array). */
  constructor(bytes: Uint8Array, start = 0, bitLength = (bytes.length - start) * 8) {
    this.bytes = bytes;
    this.bit = start * 8;
    this.end = start * 8 + bitLength;
  }

  /** Bits left to read. */
  get remaining(): number {
    return this.end - this.bit;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number; throws RangeError past the end. */
  readBits(n: number): number {
    const bit = this.bit;
    if (bit + n > this.end) throw new RangeError(`bit stream ends at bit ${this.end}, wanted ${n} more at ${this.bit}`);
    const bytes = this.bytes;
    const i = bit >>> 3;
    if (n === 0 || i + 4 >= bytes.length) return this.readBitsNearEnd(n);
    // The 32 bits from byte i, shifted so the wanted ones come first; a window ending past them needs byte i + 4.
    const window = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
    const off = bit & 7;
    this.bit = bit + n;
    const head = (window << off) >>> (32 - n);
    const past = off + n - 32;
    return past <= 0 ? head : (head | (bytes[i + 4]! >>> (8 - past))) >>> 0;
  }

  // readBits a byte at a time, for the last bytes of the stream (never past them).
  private readBitsNearEnd(n: number): number {
    const bytes = this.bytes;
    let bit = this.bit;
    let left = n;
    let out = 0;
    while (left > 0) {
      const avail = 8 - (bit & 7);
      const take = Math.min(avail, left);
      const chunk = (bytes[bit >>> 3]! >>> (avail - take)) & ((1 << take) - 1);
      // Multiplication instead of `<<` so 32-bit results stay positive.
      out = out * (1 << take) + chunk;
      bit += take;
      left -= take;
    }
    this.bit = bit;
    return out;
  }

  /** Reads one bit. */
  readBit(): boolean {
    if (this.bit >= this.end) throw new RangeError(`bit stream ends at bit ${this.end}`);
    const on = (this.bytes[this.bit >>> 3]! & (0x80 >>> (this.bit & 7))) !== 0;
    this.bit++;
    return on;
  }

  /** Reads an unsigned LEB128 varint written by BitWriter.writeUvarint. */
  readUvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.readBits(8);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new RangeError('varint longer than 8 bytes');
  }

  /** Reads a zig-zag varint written by BitWriter.writeVarint. */
  readVarint(): number {
    const z = this.readUvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}
