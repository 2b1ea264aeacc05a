// The public API of @vigil/promql, as an explicit list. The engine arrives with issue #6.
export type { Label, Matcher, MetricMetadata, Querier, SampleIterator, SelectedSeries } from './storage/querier.js';
