// limit_ratio picks series by where the hash of their labels falls in [0, 1): the same xxHash64 over the same
// bytes as Prometheus's labels.Hash(), so both pick the same series.
import type { Label } from '../storage/querier.js';

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392840791n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, input: bigint): bigint => (rotl((acc + input * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, val: bigint): bigint => ((((acc ^ round(0n, val)) * P1) & MASK) + P4) & MASK;

/** xxHash64 (seed 0) of bytes. */
export function xxhash64(b: Uint8Array): bigint {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = b.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, view.getBigUint64(i, true));
      v2 = round(v2, view.getBigUint64(i + 8, true));
      v3 = round(v3, view.getBigUint64(i + 16, true));
      v4 = round(v4, view.getBigUint64(i + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else h = P5;
  h = (h + BigInt(len)) & MASK;
  for (; i + 8 <= len; i += 8) h = (((rotl(h ^ round(0n, view.getBigUint64(i, true)), 27n) * P1) & MASK) + P4) & MASK;
  if (i + 4 <= len) {
    h = (((rotl(h ^ ((BigInt(view.getUint32(i, true)) * P1) & MASK), 23n) * P2) & MASK) + P3) & MASK;
    i += 4;
  }
  for (; i < len; i++) h = (rotl(h ^ ((BigInt(b[i]!) * P5) & MASK), 11n) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

const cache = new WeakMap<readonly Label[], number>();

/** Where a label set falls in [0, 1) for limit_ratio: hash / 2^64. */
export function limitRatioOffset(labels: readonly Label[]): number {
  let off = cache.get(labels);
  if (off !== undefined) return off;
  const parts: Buffer[] = [];
  for (const l of labels)
    parts.push(Buffer.from(l.name), Buffer.from([0xff]), Buffer.from(l.value), Buffer.from([0xff]));
  off = Number(xxhash64(Buffer.concat(parts))) / 2 ** 64;
  cache.set(labels, off);
  return off;
}
