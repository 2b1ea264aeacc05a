import { ChunkIterator } from './chunk-iterator.js';
import { corruptChunk } from './corrupt.js';
import { CHUNK_ENCODING_DECIMAL, DecimalIterator, encodeDecimal } from './decimal-chunk.js';
import { type ChunkLimits, XorChunk } from './xor-chunk.js';
import { MAX_TIMESTAMP } from './xor-encoding.js';

/** First byte of a serialized chunk: the encoding. Only the XOR encoding exists so far. */
export const CHUNK_ENCODING_XOR = 1;

/** What a serialized chunk's header says, readable without decoding any sample. */
export interface ChunkHeader {
  encoding: number;
  count: number;
  minTime: number;
  maxTime: number;
  /** Where the sample payload starts in the blob. */
  payloadOffset: number;
  /** For a decimal chunk only: its scale and delta mode byte (see decimal-chunk.ts). */
  mode?: number;
}

/** A decoder of a stored chunk, whatever its encoding: read `t` and `v` after `next()` returned true. */
export interface ChunkSamples {
  t: number;
  v: number;
  next(): boolean;
}

/**
 * Serializes a chunk for a SQLite blob:
 * [encoding u8][count uvarint][minTime zig-zag varint][maxTime - minTime uvarint][payload bytes].
 */
export function encodeChunk(chunk: XorChunk): Buffer {
  return encodeChunkInto(chunk, undefined);
}

/**
 * `encodeChunk` written into `scratch` when it is large enough (the result is a view of it, valid until
 * scratch is reused: for binding to a statement, which copies it), so a flush of many heads allocates nothing.
 */
export function encodeChunkInto(chunk: XorChunk, scratch: Buffer | undefined): Buffer {
  const out = xorHeader(chunk.count, chunk.minTime, chunk.maxTime, chunk.byteLength, scratch);
  chunk.copyPayload(out, out.length - chunk.byteLength);
  return out;
}

/** `encodeChunkInto` for a chunk given as its parts: `payload` holds exactly its encoded samples. */
export function encodePayloadInto(
  count: number,
  minTime: number,
  maxTime: number,
  payload: Uint8Array,
  scratch: Buffer | undefined,
): Buffer {
  const out = xorHeader(count, minTime, maxTime, payload.length, scratch);
  out.set(payload, out.length - payload.length);
  return out;
}

// A blob of the right size with the XOR header written; the payload goes in its last `payloadBytes` bytes.
function xorHeader(count: number, min: number, max: number, payloadBytes: number, scratch: Buffer | undefined) {
  const zig = min < 0 ? -2 * min - 1 : 2 * min;
  const span = max - min;
  const size = 1 + uvarintLength(count) + uvarintLength(zig) + uvarintLength(span) + payloadBytes;
  const out = scratch !== undefined && scratch.length >= size ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
  out[0] = CHUNK_ENCODING_XOR;
  let at = putUvarint(out, 1, count);
  at = putUvarint(out, at, zig);
  putUvarint(out, at, span);
  return out;
}

/** Reads a serialized chunk's header; throws TsdbError VIGIL_TSDB_CORRUPT_CHUNK when it is malformed. */
export function readChunkHeader(blob: Uint8Array): ChunkHeader {
  const encoding = blob[0];
  if (encoding !== CHUNK_ENCODING_XOR && encoding !== CHUNK_ENCODING_DECIMAL) {
    throw corruptChunk(blob.length === 0 ? 'chunk blob is empty' : `unknown chunk encoding ${encoding} at byte 0`);
  }
  const cursor = { at: 1 };
  const count = readUvarint(blob, cursor);
  const zig = readUvarint(blob, cursor);
  const minTime = zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
  const maxTime = minTime + readUvarint(blob, cursor);
  if (minTime < -MAX_TIMESTAMP || maxTime > MAX_TIMESTAMP)
    throw corruptChunk(`chunk time range ${minTime}..${maxTime}`);
  if (count <= 1 ? maxTime !== minTime : maxTime <= minTime) {
    throw corruptChunk(`chunk of ${count} samples cannot span ${minTime}..${maxTime}`);
  }
  if (encoding === CHUNK_ENCODING_XOR) return { encoding, count, minTime, maxTime, payloadOffset: cursor.at };
  const mode = blob[cursor.at];
  if (mode === undefined) throw corruptChunk(`chunk header ends at byte ${cursor.at}`);
  return { encoding, count, minTime, maxTime, payloadOffset: cursor.at + 1, mode };
}

/**
 * A closed chunk as stored: the decimal encoding when every value is a short decimal and that is smaller,
 * else `encodeChunk`'s XOR blob. Read it back with `chunkSamples`.
 */
export function encodeClosedChunk(chunk: XorChunk): Buffer {
  const n = chunk.count;
  if (closedT.length < n) {
    closedT = new Float64Array(n);
    closedV = new Float64Array(n);
  }
  const t = closedT;
  const v = closedV;
  const it = chunk.iterator();
  for (let i = 0; it.next(); i++) {
    t[i] = it.t;
    v[i] = it.v;
  }
  return encodeDecimal(t, v, n, chunk.byteLength) ?? encodeChunk(chunk);
}

/** `encodeClosedChunk` for a chunk given as its parts: `payload` holds exactly its `count` XOR-encoded samples. */
export function encodeClosedPayload(count: number, minTime: number, maxTime: number, payload: Uint8Array): Buffer {
  if (closedT.length < count) {
    closedT = new Float64Array(count);
    closedV = new Float64Array(count);
  }
  const it = new ChunkIterator(payload, count);
  for (let i = 0; it.next(); i++) {
    closedT[i] = it.t;
    closedV[i] = it.v;
  }
  return (
    encodeDecimal(closedT, closedV, count, payload.length) ??
    encodePayloadInto(count, minTime, maxTime, payload, undefined)
  );
}

// Scratch for encodeClosedChunk: one chunk's samples, reused (a typed array per chunk would be a malloc each).
let closedT = new Float64Array(256);
let closedV = new Float64Array(256);

/** Iterates a stored chunk of either encoding without copying it; throws VIGIL_TSDB_CORRUPT_CHUNK on a bad header. */
export function chunkSamples(blob: Uint8Array, header: ChunkHeader = readChunkHeader(blob)): ChunkSamples {
  const payload = blob.subarray(header.payloadOffset);
  return header.encoding === CHUNK_ENCODING_XOR
    ? new ChunkIterator(payload, header.count)
    : new DecimalIterator(payload, header.count, header.mode ?? 0);
}

/**
 * Rebuilds a chunk from `encodeChunk`'s output. The payload is copied, so the blob can be reused.
 * Samples decode lazily; a payload that is corrupt past the header surfaces as VIGIL_TSDB_CORRUPT_CHUNK
 * from the iterator.
 */
export function decodeChunk(blob: Uint8Array, limits?: ChunkLimits): XorChunk {
  const h = readChunkHeader(blob);
  if (h.encoding !== CHUNK_ENCODING_XOR) throw corruptChunk(`chunk encoding ${h.encoding} cannot be appended to`);
  // Uint8Array's slice copies; a Buffer's would share memory with the blob.
  const payload = Uint8Array.prototype.slice.call(blob, h.payloadOffset);
  if (h.count > 0 && payload.length < 9)
    throw corruptChunk(`chunk of ${h.count} samples has a ${payload.length}-byte payload`);
  return XorChunk.fromPayload(payload, h.count, h.minTime, h.maxTime, limits);
}

function uvarintLength(value: number): number {
  let n = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) n++;
  return n;
}

function putUvarint(out: Uint8Array, at: number, value: number): number {
  let i = at;
  let v = value;
  while (v >= 0x80) {
    out[i++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[i++] = v;
  return i;
}

function readUvarint(blob: Uint8Array, cursor: { at: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const byte = blob[cursor.at];
    if (byte === undefined) throw corruptChunk(`chunk header ends at byte ${cursor.at}`);
    cursor.at++;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
  throw corruptChunk(`varint longer than 8 bytes at byte ${cursor.at}`);
}
