/** Stable error codes of @vigil/tsdb; each one is listed in docs/errors.md. */
export const TSDB_ERROR_CODES = {
  VIGIL_PARSE: 'a scraped exposition is malformed; the message gives line:column and what was expected there',
  VIGIL_PARSE_LIMIT:
    'a scraped exposition exceeds a scrape limit (sample_limit, label_limit, label_name_length_limit, label_value_length_limit); the message names the limit',
  VIGIL_PARSE_CONTENT_TYPE: 'a scrape answered with a Content-Type that is not an exposition format Vigil reads',
  VIGIL_TSDB_BAD_OPTION:
    'an option passed to @vigil/tsdb is invalid (for instance a negative limit); the message names it',
  VIGIL_TSDB_BAD_LABELS: 'a label set is invalid (empty, or a repeated label name); the message names the label',
  VIGIL_BAD_MATCHER:
    'a label matcher or matcher set is invalid (for instance a bad regular expression); the message names it',
  VIGIL_TSDB_CORRUPT_CHUNK: "a stored chunk's bytes cannot be decoded; the message says where",
  VIGIL_TSDB_CORRUPT_DB:
    'a TSDB file cannot be opened or read (not SQLite, not a Vigil TSDB, a newer format, damaged rows); the message names the path',
  VIGIL_TSDB_IO:
    'reading or writing a TSDB file failed (disk full, read-only, I/O error); the message names the path and the SQLite code',
  VIGIL_TSDB_LOCKED: 'a TSDB file is open in another process (one writer per file); the message names the path',
  VIGIL_TSDB_CLOSED: 'a Tsdb was used after close()',
  VIGIL_TSDB_BAD_METADATA: 'metric metadata is invalid (empty metric name, unknown type); the message names the field',
} as const;

/** One of the tsdb package's stable error codes. */
export type TsdbErrorCode = keyof typeof TSDB_ERROR_CODES;

/** Where in a text an error was found: 1-based line and column (UTF-16 code units from the line start). */
export interface TextPosition {
  line: number;
  column: number;
}

/** The one error class of @vigil/tsdb: `code` is stable, `message` says what and where. */
export class TsdbError extends Error {
  readonly code: TsdbErrorCode;
  /** 1-based line of a parse error, when the error is about a place in a text. */
  readonly line: number | undefined;
  /** 1-based column of a parse error, when the error is about a place in a text. */
  readonly column: number | undefined;

  constructor(code: TsdbErrorCode, message: string, options?: { cause?: unknown; position?: TextPosition }) {
    const position = options?.position;
    super(position === undefined ? message : `line ${position.line}:${position.column}: ${message}`, options);
    this.name = 'TsdbError';
    this.code = code;
    this.line = position?.line;
    this.column = position?.column;
  }
}
