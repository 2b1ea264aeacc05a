/** The text formats `/metrics` can answer in. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** `Content-Type` of each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = Object.freeze({
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
});

interface Offer {
  format: ExpositionFormat;
  type: string;
  subtype: string;
  /** `version` parameters this offer satisfies; absent means any version. */
  versions: ReadonlySet<string | undefined>;
}

// OpenMetrics 0.0.1 is what Prometheus 2.x asks for next to 1.0.0; the 1.0.0 text serves both.
const OFFERS: readonly Offer[] = [
  { format: 'prometheus', type: 'text', subtype: 'plain', versions: new Set([undefined, '0.0.4']) },
  {
    format: 'openmetrics',
    type: 'application',
    subtype: 'openmetrics-text',
    versions: new Set([undefined, '1.0.0', '0.0.1']),
  },
];

interface MediaRange {
  type: string;
  subtype: string;
  version: string | undefined;
  q: number;
  index: number;
}

/**
 * The format an `Accept` header asks for (RFC 9110 §12.5.1): for each format the most
 * specific matching range gives its weight; the heaviest wins, then the more specific match,
 * then the earlier one. Prometheus text when nothing acceptable matches, as Prometheus's own
 * clients do: a scraper always gets an answer it can parse, never a 406.
 */
export function negotiateFormat(accept: string | null | undefined): ExpositionFormat {
  if (accept === undefined || accept === null || accept === '') return 'prometheus';
  const ranges = parseAccept(accept);
  let best: { format: ExpositionFormat; q: number; specificity: number; index: number } | undefined;
  for (const offer of OFFERS) {
    let match: { q: number; specificity: number; index: number } | undefined;
    for (const range of ranges) {
      const specificity = specificityOf(range, offer);
      if (specificity === 0) continue;
      if (
        match === undefined ||
        specificity > match.specificity ||
        (specificity === match.specificity && range.q > match.q)
      ) {
        match = { q: range.q, specificity, index: range.index };
      }
    }
    if (match === undefined || match.q === 0) continue;
    if (
      best === undefined ||
      match.q > best.q ||
      (match.q === best.q && match.specificity > best.specificity) ||
      (match.q === best.q && match.specificity === best.specificity && match.index < best.index)
    ) {
      best = { format: offer.format, ...match };
    }
  }
  return best?.format ?? 'prometheus';
}

/** 3: type, subtype and version match; 2: `type/*`; 1: `*\/*`; 0: no match. */
function specificityOf(range: MediaRange, offer: Offer): number {
  if (range.type === '*') return range.subtype === '*' ? 1 : 0;
  if (range.type !== offer.type) return 0;
  if (range.subtype === '*') return 2;
  return range.subtype === offer.subtype && offer.versions.has(range.version) ? 3 : 0;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const WEIGHT = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The well-formed media ranges of an Accept header, in order; malformed ones are skipped. */
export function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  let index = 0;
  for (const element of splitOutsideQuotes(accept, ',')) {
    const [mediaType = '', ...params] = splitOutsideQuotes(element, ';');
    const slash = mediaType.indexOf('/');
    const type = mediaType.slice(0, slash).trim().toLowerCase();
    const subtype = mediaType
      .slice(slash + 1)
      .trim()
      .toLowerCase();
    if (slash < 0 || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) continue;
    let q = 1;
    let version: string | undefined;
    let valid = true;
    for (const param of params) {
      const eq = param.indexOf('=');
      const name = param.slice(0, eq).trim().toLowerCase();
      const value = unquote(param.slice(eq + 1).trim());
      if (eq < 0 || !TOKEN.test(name) || value === undefined) {
        valid = false;
        break;
      }
      if (name === 'q') {
        if (!WEIGHT.test(value)) {
          valid = false;
          break;
        }
        q = Number(value);
      } else if (name === 'version') {
        version = value;
      }
    }
    if (valid) ranges.push({ type, subtype, version, q, index: index++ });
  }
  return ranges;
}

/** A token as is, a quoted-string without its quotes and escapes; undefined when neither. */
function unquote(value: string): string | undefined {
  if (!value.startsWith('"')) return TOKEN.test(value) ? value : undefined;
  if (value.length < 2 || !value.endsWith('"')) return undefined;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Splits on `separator` except inside double quotes (a quoted parameter may hold commas). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\') i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}
