// The public API of @vigil/tsdb, as an explicit list.

export { ChunkIterator } from './chunks/chunk-iterator.js';
export { CHUNK_ENCODING_DECIMAL } from './chunks/decimal-chunk.js';
export { isStaleNaN, STALE_NAN } from './chunks/float-bits.js';
export { type HeadAppendResult, HeadChunks, type HeadChunksOptions } from './chunks/head-chunks.js';
export {
  CHUNK_ENCODING_XOR,
  type ChunkHeader,
  type ChunkSamples,
  chunkSamples,
  decodeChunk,
  encodeChunk,
  encodeClosedChunk,
  readChunkHeader,
} from './chunks/serialize.js';
export {
  type AppendResult,
  type ChunkLimits,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_SAMPLES,
  XorChunk,
} from './chunks/xor-chunk.js';
export { MAX_TIMESTAMP } from './chunks/xor-encoding.js';
export { type TextPosition, TSDB_ERROR_CODES, TsdbError, type TsdbErrorCode } from './errors.js';
export { type ContentTypeOptions, formatFromContentType, SCRAPE_ACCEPT_HEADER } from './exposition/content-type.js';
export { parseExposition } from './exposition/parse.js';
export { ExpositionParser } from './exposition/parser.js';
export type {
  Exemplar,
  ExpositionEntry,
  ExpositionFormat,
  ExpositionLimits,
  ExpositionParseOptions,
  FamilyMetadata,
  Label,
  MetricType,
  Sample,
} from './exposition/types.js';
export { type LabelSet, parseSeriesKey, seriesKey } from './series/labels.js';
export { compileMatcher, LabelMatcher, type Matcher, type MatchType } from './series/matcher.js';
export { SeriesIndex } from './series/series-index.js';
export type { MetadataInput, MetadataType, MetricMetadata } from './storage/metadata.js';
export { type ExportOptions, exportOpenMetrics } from './storage/openmetrics-export.js';
export {
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
  importOpenMetrics,
} from './storage/openmetrics-import.js';
export {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_MS,
  DEFAULT_SAMPLES_PER_CHUNK,
  type TsdbOptions,
} from './storage/options.js';
export type { SeriesSamples } from './storage/series-samples.js';
export type {
  BackfillResult,
  BackfillSeries,
  RetentionResult,
  TsdbAppendResult,
  TsdbStats,
} from './storage/stats.js';
export { type StoredSeries, Tsdb } from './storage/tsdb.js';
