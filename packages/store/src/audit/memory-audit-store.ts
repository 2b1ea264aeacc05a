import { GENESIS_HASH } from './canonical.js';
import { type ChainHead, ChainVerifier } from './chain.js';
import { auditFilter, matchesAudit } from './filter.js';
import {
  type AuditRow,
  chainRow,
  conflict,
  type PreparedAuditEvent,
  prepareAuditBatch,
  prepareAuditEvent,
  sameEvent,
  toEvent,
} from './prepare.js';
import type { AuditEvent, AuditEventInput, AuditQuery, AuditStore, AuditVerifyResult } from './types.js';

/**
 * An AuditStore in memory, for tests and for SDK users who want the chain without a file.
 * It passes the same contract suite as the SQLite store; `rows` is exposed so tests can tamper.
 */
export class MemoryAuditStore implements AuditStore {
  /** The stored rows in chain order; mutate only to simulate tampering. */
  readonly rows: AuditRow[] = [];
  readonly #byId = new Map<string, AuditRow>();
  readonly #head: ChainHead = { length: 0, hash: GENESIS_HASH };
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Validates, chains and stores one event. */
  async append(event: AuditEventInput): Promise<AuditEvent> {
    return toEvent(this.#store([prepareAuditEvent(event, this.#now)])[0]!);
  }

  /** Appends several events: all of them, or none. */
  async appendBatch(events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
    return this.#store(prepareAuditBatch(events, this.#now)).map(toEvent);
  }

  /** Events matching the filters, one page of them, ordered by ts then seq. */
  async query(query?: AuditQuery): Promise<AuditEvent[]> {
    const f = auditFilter(query);
    const rows = this.rows.filter((row) => matchesAudit(row, f)).sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    if (f.order === 'desc') rows.reverse();
    return rows.slice(f.offset, f.offset + f.limit).map(toEvent);
  }

  /** How many events match the filters. */
  async count(query?: AuditQuery): Promise<number> {
    const f = auditFilter(query);
    return this.rows.filter((row) => matchesAudit(row, f)).length;
  }

  /** Walks the chain and reports the first broken event. */
  async verify(): Promise<AuditVerifyResult> {
    const verifier = new ChainVerifier({ ...this.#head });
    const rows = [...this.rows].sort((a, b) => a.seq - b.seq);
    for (const row of rows) {
      const broken = verifier.push(row);
      if (broken !== null) return verifier.finish(broken);
    }
    return verifier.finish(null);
  }

  #store(events: PreparedAuditEvent[]): AuditRow[] {
    // Check every id before storing any, so a conflict leaves the log as it was.
    const out: (AuditRow | PreparedAuditEvent)[] = events.map((event) => {
      const stored = this.#byId.get(event.id);
      if (stored === undefined) return event;
      if (!sameEvent(stored, event)) throw conflict(event.id, stored.seq);
      return stored;
    });
    return out.map((item) => {
      if ('hash' in item) return item;
      const row = chainRow(item, this.#head.length + 1, this.#head.hash);
      this.rows.push(row);
      this.#byId.set(row.id, row);
      this.#head.length = row.seq;
      this.#head.hash = row.hash;
      return row;
    });
  }
}
