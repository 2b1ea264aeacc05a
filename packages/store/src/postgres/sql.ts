import { StoreError } from '../errors.js';
import type { Queryable } from './connection.js';

/** Collects WHERE clauses and their `$n` parameters. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** `$n` for `value`, added to the parameters. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** Adds a clause; `build` gets `param` to place its values. */
  add(build: (param: (value: unknown) => string) => string): void {
    this.clauses.push(build((value) => this.param(value)));
  }

  /** ` WHERE a AND b`, or '' with no clause. */
  get sql(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }
}

// PostgreSQL takes at most 65535 parameters per statement.
const MAX_PARAMS = 60_000;

/**
 * Inserts `rows` (each a value per column) with multi-row `INSERT ... ON CONFLICT DO NOTHING` statements, as many
 * rows per statement as the parameter limit allows, in the caller's transaction; `wrap` puts a column's parameter in
 * an expression. Resolves to how many went in.
 */
export async function insertIgnoring(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  wrap: Partial<Record<string, (param: string) => string>> = {},
): Promise<number> {
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    const params: unknown[] = [];
    const place = columns.map((column) => wrap[column] ?? ((param: string) => param));
    const values = chunk.map((row) => `(${row.map((value, i) => place[i]!(`$${params.push(value)}`)).join(', ')})`);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`;
    inserted += (await db.query(sql, params)).rowCount ?? 0;
  }
  return inserted;
}

/**
 * `rows` with U+0000 in strings replaced by U+FFFD: PostgreSQL text cannot hold NUL, and a log line or span is
 * worth keeping with one character changed rather than losing its whole batch.
 */
export function withoutNul(rows: unknown[][]): unknown[][] {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (typeof value === 'string' && value.includes('\u0000')) row[i] = value.replaceAll('\u0000', '\uFFFD');
    }
  }
  return rows;
}

/**
 * A StoreError (VIGIL_STORE_BAD_RECORD) naming the first string field holding U+0000, which PostgreSQL text cannot
 * hold: invocation and audit records are permanent (audit ones hashed), so they are refused, never changed.
 */
export function refuseNul(records: readonly object[], label: string): void {
  records.forEach((record, i) => {
    for (const [field, value] of Object.entries(record)) {
      if (typeof value === 'string' && value.includes('\u0000')) {
        throw new StoreError(
          'VIGIL_STORE_BAD_RECORD',
          `${label}[${i}].${field} contains the character U+0000, which PostgreSQL cannot store`,
        );
      }
    }
  });
}
