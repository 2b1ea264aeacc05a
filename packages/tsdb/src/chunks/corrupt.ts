import { TsdbError } from '../errors.js';

/** A TsdbError VIGIL_TSDB_CORRUPT_CHUNK: a stored chunk's bytes cannot be decoded; `message` says where. */
export function corruptChunk(message: string): TsdbError {
  // The cast is a no-op once errors.ts lists VIGIL_TSDB_CORRUPT_CHUNK.
  return new TsdbError('VIGIL_TSDB_CORRUPT_CHUNK', message);
}
