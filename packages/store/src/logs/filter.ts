import { StoreError } from '../errors.js';
import { page, show, timeRange } from '../validate.js';
import { type Cursor, decodeCursor } from './cursor.js';
import { LEVEL_SEVERITY, logLevel } from './levels.js';
import type { LogLevel, LogQuery, LogRecord } from './types.js';

/** One word of a full-text filter. */
export interface TextTerm {
  term: string;
  prefix: boolean;
}

/** A log query validated, with defaults filled in. */
export interface LogFilter {
  since: number | null;
  until: number | null;
  /** The levels a line must have one of (in severity order); null for no level filter. */
  levels: LogLevel[] | null;
  equal: [column: 'service' | 'event' | 'component' | 'correlation_id' | 'trace_id', value: string][];
  text: TextTerm[] | null;
  /**
   * Full-text results come in store order (seq: arrival, newest stored first), not by ts: the
   * index hands matches out in that order, so a page of a common word costs its own rows, not
   * a sort of every match. Lines arrive close to their time, so the two orders mostly agree.
   */
  bySeq: boolean;
  limit: number;
  after: Cursor | null;
  order: 'asc' | 'desc';
}

const ALL_LEVELS = Object.keys(LEVEL_SEVERITY) as LogLevel[];
const EQUAL = ['service', 'event', 'component', 'correlation_id', 'trace_id'] as const;
// What SQLite's unicode61 tokenizer keeps in a token: letters, digits (and private-use characters).
const WORD = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;

/** Validates a query; a StoreError (VIGIL_STORE_BAD_QUERY) names the bad filter. */
export function logFilter(query: LogQuery = {}): LogFilter {
  const equal: LogFilter['equal'] = [];
  for (const column of EQUAL) {
    const value = query[column];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new StoreError('VIGIL_STORE_BAD_QUERY', `${column} must be a non-empty string, got ${show(value)}`);
    }
    equal.push([column, column === 'trace_id' ? value.toLowerCase() : value]);
  }
  let levels: LogLevel[] | null = null;
  if (query.level !== undefined) {
    const given = typeof query.level === 'string' ? [query.level] : Array.isArray(query.level) ? query.level : [];
    if (given.length === 0) {
      throw new StoreError(
        'VIGIL_STORE_BAD_QUERY',
        `level must be a level or a list of them, got ${show(query.level)}`,
      );
    }
    const named = new Set(given.map((l: unknown) => logLevel(l, 'level', 'VIGIL_STORE_BAD_QUERY')));
    levels = ALL_LEVELS.filter((l) => named.has(l));
  }
  if (query.min_level !== undefined) {
    const min = LEVEL_SEVERITY[logLevel(query.min_level, 'min_level', 'VIGIL_STORE_BAD_QUERY')][0];
    levels = (levels ?? ALL_LEVELS).filter((l) => LEVEL_SEVERITY[l][0] >= min);
  }
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `order must be "asc" or "desc", got ${show(order)}`);
  }
  return {
    ...timeRange(query.since, query.until),
    levels,
    equal,
    text: query.text === undefined ? null : textTerms(query.text),
    bySeq: query.text !== undefined,
    limit: page(query.limit, 0).limit,
    after: decodeCursor(query.cursor),
    order,
  };
}

/** The words of a full-text filter, lowercased; a StoreError when there is none. */
export function textTerms(text: unknown): TextTerm[] {
  if (typeof text !== 'string' || text.length > 1000) {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `text must be a string of at most 1000 characters, got ${show(text)}`,
    );
  }
  const terms: TextTerm[] = [];
  for (const part of text.split(/\s+/)) {
    const words = part.match(WORD) ?? [];
    words.forEach((word, i) => {
      terms.push({ term: word.toLowerCase(), prefix: i === words.length - 1 && part.endsWith('*') });
    });
  }
  if (terms.length === 0)
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `text has no word to search for: ${show(text)}`);
  if (terms.length > 32) throw new StoreError('VIGIL_STORE_BAD_QUERY', `text has more than 32 words (${terms.length})`);
  return terms;
}

/** The words of a stored text, as the full-text index splits them. */
export function wordsOf(text: string | null): string[] {
  return text === null ? [] : (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

/** True when `row` passes every filter (limit aside; the cursor included). */
export function matchesLog(row: LogRecord, f: LogFilter): boolean {
  if (f.since !== null && row.ts < f.since) return false;
  if (f.until !== null && row.ts >= f.until) return false;
  if (f.levels !== null && !f.levels.includes(row.level)) return false;
  for (const [column, value] of f.equal) if (row[column] !== value) return false;
  if (
    f.after !== null &&
    !isAfter(f.bySeq ? { ts: 0, seq: row.seq } : row, f.bySeq ? { ts: 0, seq: f.after.seq } : f.after, f.order)
  ) {
    return false;
  }
  if (f.text !== null) {
    const words = [...wordsOf(row.message), ...wordsOf(row.error)];
    for (const t of f.text) {
      if (!words.some((w) => (t.prefix ? w.startsWith(t.term) : w === t.term))) return false;
    }
  }
  return true;
}

/** True when `row` comes after the cursor in the query's order. */
export function isAfter(row: { ts: number; seq: number }, after: Cursor, order: 'asc' | 'desc'): boolean {
  return order === 'asc'
    ? row.ts > after.ts || (row.ts === after.ts && row.seq > after.seq)
    : row.ts < after.ts || (row.ts === after.ts && row.seq < after.seq);
}
