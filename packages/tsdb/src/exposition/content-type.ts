import { TsdbError } from '../errors.js';
import type { ExpositionFormat } from './types.js';

/** The Accept header Prometheus sends: OpenMetrics first, Prometheus text as the fallback. */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';

/** How `formatFromContentType` treats a missing or unknown Content-Type. */
export interface ContentTypeOptions {
  /**
   * The format to assume when the Content-Type is missing or not an exposition type, as
   * Prometheus 2.x does (text). Pass `null` to reject such responses, as Prometheus 3 does
   * without `fallback_scrape_protocol`. Default `'prometheus'`.
   */
  fallback?: ExpositionFormat | null;
}

/**
 * Picks the grammar for a scrape response from its Content-Type, as Prometheus does:
 * `application/openmetrics-text` is OpenMetrics, `text/plain` is Prometheus text 0.0.4.
 * Throws `VIGIL_PARSE_CONTENT_TYPE` for the protobuf format, which Vigil does not read.
 */
export function formatFromContentType(
  contentType: string | null | undefined,
  options: ContentTypeOptions = {},
): ExpositionFormat {
  const semicolon = contentType?.indexOf(';') ?? -1;
  const mediaType = (semicolon >= 0 ? contentType!.slice(0, semicolon) : (contentType ?? '')).trim().toLowerCase();
  if (mediaType === 'application/openmetrics-text') return 'openmetrics';
  if (mediaType === 'text/plain') return 'prometheus';
  if (mediaType === 'application/vnd.google.protobuf') {
    throw new TsdbError('VIGIL_PARSE_CONTENT_TYPE', `Content-Type "${contentType}" (protobuf) is not supported`);
  }
  const fallback = options.fallback === undefined ? 'prometheus' : options.fallback;
  if (fallback === null) {
    throw new TsdbError(
      'VIGIL_PARSE_CONTENT_TYPE',
      `Content-Type ${contentType ? `"${contentType}"` : '(none)'} is not text/plain or application/openmetrics-text`,
    );
  }
  return fallback;
}
