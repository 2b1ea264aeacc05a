/** Stable error codes of @vigil/store; each one is listed in docs/errors.md. */
export const STORE_ERROR_CODES = {
  VIGIL_STORE_OPEN: 'the database could not be opened (missing, not a Vigil SQLite file, no permission)',
  VIGIL_STORE_CONNECT:
    'the PostgreSQL server could not be reached (refused, unknown host, timed out); names host:port/db',
  VIGIL_STORE_AUTH:
    'the PostgreSQL server refused the login (bad user or password, pg_hba.conf); names user@host:port/db',
  VIGIL_STORE_MIGRATION: 'a schema migration failed and was rolled back',
  VIGIL_STORE_SCHEMA_TOO_NEW: 'the database was written by a newer Vigil than this one',
  VIGIL_STORE_BAD_RECORD: 'a record (invocation or audit event) is invalid; the message names the field',
  VIGIL_STORE_BAD_QUERY: 'a query filter is invalid (limit, offset, time range)',
  VIGIL_STORE_CONFLICT: 'an audit event id is already stored with different content',
  VIGIL_STORE_IO: 'the database failed to read or write (disk full, I/O error, busy past busy_timeout)',
  VIGIL_STORE_CLOSED: 'the store was used after close()',
} as const;

/** One of the store's stable error codes. */
export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/** The one error class of @vigil/store: `code` is stable, `message` says what and where. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
