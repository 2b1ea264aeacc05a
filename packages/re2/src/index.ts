// @vigil/re2: RE2 patterns as Prometheus reads them, run by JavaScript's RegExp. One translation for the TSDB's
// matchers, PromQL and relabeling.
export { compileRe2, literalAlternatives } from './compile.js';
export { RE2_ERROR_CODES, Re2Error, type Re2ErrorCode } from './errors.js';
export { type TranslatedRegex, translateRe2 } from './translate.js';
