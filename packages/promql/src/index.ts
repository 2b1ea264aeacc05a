// The public API of @vigil/promql, as an explicit list.

export type { PromqlErrorCode, PromqlErrorPosition } from './errors.js';
export { PROMQL_ERROR_CODES, PromqlError } from './errors.js';
export type {
  ColumnsResult,
  EngineOptions,
  InstantSample,
  QueryResult,
  RangeSamples,
  SeriesColumns,
} from './eval/engine.js';
export { Engine } from './eval/engine.js';
export { isStale, STALE_NAN } from './eval/values.js';
export { formatSampleValue } from './format.js';
export type { Expr, ValueType } from './parse/ast.js';
export type { ParseOptions } from './parse/parser.js';
export { parseExpr } from './parse/parser.js';
export { MemoryQuerier } from './storage/memory.js';
export type { Label, Matcher, MetricMetadata, Querier, SampleIterator, SelectedSeries } from './storage/querier.js';
