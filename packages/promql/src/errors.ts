// The one error class of @vigil/promql. Every error carries a stable code; parse errors also carry where.

/** Every code a PromqlError can carry, with what it means (listed in docs/errors.md). */
export const PROMQL_ERROR_CODES = {
  VIGIL_PROMQL_PARSE: 'the expression is not valid PromQL (syntax or types); the message gives line:column',
  VIGIL_PROMQL_BAD_REGEX: 'a regex in a matcher or label_replace is invalid or not RE2 (backreference, lookaround)',
  VIGIL_PROMQL_EVAL: 'the expression could not be evaluated (duplicate label sets, many-to-many matching, ...)',
  VIGIL_PROMQL_TIMEOUT: 'the query ran longer than the timeout option',
  VIGIL_PROMQL_TOO_MANY_SAMPLES: 'the query loaded more samples than the maxSamples option',
  VIGIL_PROMQL_TOO_MANY_POINTS: 'a range query would return more than maxPointsPerSeries points per series',
  VIGIL_PROMQL_BAD_OPTION: 'an engine option or query argument (time, step, range) is invalid',
} as const;

/** A PromqlError code. */
export type PromqlErrorCode = keyof typeof PROMQL_ERROR_CODES;

/** Where in the expression an error is: 0-based offsets and 1-based line/column of the start. */
export interface PromqlErrorPosition {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** The error @vigil/promql throws. */
export class PromqlError extends Error {
  override readonly name = 'PromqlError';
  readonly code: PromqlErrorCode;
  readonly position: PromqlErrorPosition | undefined;

  constructor(code: PromqlErrorCode, message: string, position?: PromqlErrorPosition) {
    super(message);
    this.code = code;
    this.position = position;
  }
}

/** Line and column (1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A parse error at [start, end) of `text`: "1:5: parse error: <what>". */
export function parseError(
  text: string,
  start: number,
  end: number,
  what: string,
  code: PromqlErrorCode = 'VIGIL_PROMQL_PARSE',
): PromqlError {
  const { line, column } = lineColumn(text, start);
  return new PromqlError(code, `${line}:${column}: parse error: ${what}`, { start, end, line, column });
}

/** An evaluation error. */
export function evalError(message: string): PromqlError {
  return new PromqlError('VIGIL_PROMQL_EVAL', message);
}
