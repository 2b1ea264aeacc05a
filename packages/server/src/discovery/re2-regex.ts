// Relabel regexes (and Alertmanager-style matchers) are RE2, read by @vigil/re2 as the TSDB and PromQL read them.

/** A fully anchored RegExp for an RE2 pattern (`.` matches a newline); throws Re2Error naming the problem. */
export { compileRe2 } from '@vigil/re2';
