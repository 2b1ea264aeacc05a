import { StoreError } from '../errors.js';

/** Where a page ended: the last row's time and store position. */
export interface Cursor {
  ts: number;
  seq: number;
}

/** An opaque cursor string for the row after which the next page starts. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.ts}:${cursor.seq}`).toString('base64url');
}

/** The cursor a client sent back, or a StoreError (VIGIL_STORE_BAD_QUERY). */
export function decodeCursor(text: unknown): Cursor | null {
  if (text === undefined || text === null) return null;
  if (typeof text === 'string' && text.length <= 64) {
    const match = /^(-?\d+(?:\.\d+)?):(\d+)$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
    if (match) {
      const ts = Number(match[1]);
      const seq = Number(match[2]);
      if (Number.isFinite(ts) && Number.isSafeInteger(seq)) return { ts, seq };
    }
  }
  throw new StoreError('VIGIL_STORE_BAD_QUERY', 'cursor is not one this store returned (pass next_cursor as it is)');
}
