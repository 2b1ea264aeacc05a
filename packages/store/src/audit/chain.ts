import { auditHash, canonicalJson, GENESIS_HASH } from './canonical.js';
import type { AuditRow } from './prepare.js';
import type { AuditBreak, AuditVerifyResult } from './types.js';

/** What a driver keeps beside the rows, updated in the same transaction as each append. */
export interface ChainHead {
  /** Events appended through the store. */
  length: number;
  /** Hash of the last of them (GENESIS_HASH when none). */
  hash: string;
}

/**
 * Checks rows one at a time, in chain order (seq ascending), against the head read in the
 * same snapshot. Drivers feed it rows and stop at the first break.
 */
export class ChainVerifier {
  #checked = 0;
  #lastHash = GENESIS_HASH;
  #last: AuditRow | null = null;
  readonly #head: ChainHead;

  constructor(head: ChainHead) {
    this.#head = head;
  }

  /** Checks the next row; returns the break it shows, or null when it is good. */
  push(row: AuditRow): AuditBreak | null {
    const at = `event #${row.seq} (id ${row.id})`;
    const before = this.#last === null ? 'the chain start' : `event #${this.#last.seq} (id ${this.#last.id})`;
    if (this.#checked >= this.#head.length) {
      return brk(
        'unlinked',
        row,
        `${at} is stored after the chain head (${this.#head.length} events) without going through the store`,
      );
    }
    if (row.prev_hash !== this.#lastHash) {
      return brk(
        'unlinked',
        row,
        `${at}: prev_hash does not match the hash of ${before}: an event was deleted, inserted or reordered between them`,
      );
    }
    let expected: string;
    try {
      const details: unknown = JSON.parse(row.details);
      if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new Error('not an object');
      expected = auditHash({ ...row, details: canonicalJson(details, 'details') });
    } catch {
      return brk('modified', row, `${at}: details are no longer a JSON object: the event was modified`);
    }
    if (expected !== row.hash) {
      return brk('modified', row, `${at}: its content does not match its hash: the event was modified`);
    }
    if (this.#checked + 1 === this.#head.length && row.hash !== this.#head.hash) {
      return brk(
        'modified',
        row,
        `${at}: the chain head records another hash for the last event: the chain was rewritten`,
      );
    }
    this.#checked++;
    this.#lastHash = row.hash;
    this.#last = row;
    return null;
  }

  /** The result once the rows ran out (or `broken` stopped the walk). */
  finish(broken: AuditBreak | null): AuditVerifyResult {
    if (broken === null && this.#checked < this.#head.length) {
      const after = this.#last === null ? 'the chain start' : `event #${this.#last.seq} (id ${this.#last.id})`;
      const missing = this.#head.length - this.#checked;
      broken = {
        kind: 'truncated',
        seq: null,
        id: null,
        message: `the chain head records ${this.#head.length} events but it ends after ${after}: the last ${missing} were deleted`,
      };
    }
    return { ok: broken === null, checked: this.#checked, lastHash: this.#lastHash, broken };
  }
}

function brk(kind: AuditBreak['kind'], row: AuditRow, message: string): AuditBreak {
  return { kind, seq: row.seq, id: row.id, message };
}
