import { TsdbError } from '../errors.js';

// The casts are no-ops once errors.ts lists VIGIL_BAD_MATCHER and VIGIL_TSDB_BAD_LABELS.

/** A TsdbError VIGIL_BAD_MATCHER: a label matcher or matcher set is invalid; `message` names the matcher. */
export function badMatcher(message: string, cause?: unknown): TsdbError {
  return new TsdbError('VIGIL_BAD_MATCHER', message, cause === undefined ? undefined : { cause });
}

/** A TsdbError VIGIL_TSDB_BAD_LABELS: a label set is invalid (empty or repeated name); `message` names the label. */
export function badLabels(message: string): TsdbError {
  return new TsdbError('VIGIL_TSDB_BAD_LABELS', message);
}
