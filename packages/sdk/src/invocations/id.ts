import { randomHex } from '../context/ids.js';

const RANDOM_BYTES = 10; // 20 hex digits: the 74 random bits of a UUIDv7, and 6 spare ones
const VARIANT = ['8', '9', 'a', 'b'];

let lastMs = Number.NaN;
let timePrefix = '';

/**
 * A new invocation id: a UUID version 7 (RFC 9562), the creation time in milliseconds in its
 * first 48 bits, then random bits. Ids made later sort later, so the store's primary-key index
 * grows at its end instead of at random places, which keeps inserts fast as the file grows
 * (measured in docs/benchmarks.md). Still unique without coordination: 74 random bits per
 * millisecond.
 */
export function newInvocationId(now: number = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    const ms = Number.isFinite(now) ? Math.max(0, Math.min(Math.floor(now), 0xffff_ffff_ffff)) : 0;
    const hex = ms.toString(16).padStart(12, '0');
    timePrefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
  }
  const random = randomHex(RANDOM_BYTES);
  const variant = VARIANT[Number.parseInt(random[3]!, 16) & 3]!;
  return `${timePrefix}${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${random.slice(7, 19)}`;
}
