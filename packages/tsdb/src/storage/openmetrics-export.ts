import { isStaleNaN } from '../chunks/float-bits.js';
import { MAX_TIMESTAMP } from '../chunks/xor-encoding.js';
import { TsdbError } from '../errors.js';
import type { Label } from '../exposition/types.js';
import type { Matcher } from '../series/matcher.js';
import {
  type FamilyChoice,
  familyHeader,
  familyOf,
  formatSeconds,
  formatValue,
  seriesText,
} from './openmetrics-text.js';
import type { StoredSeries, Tsdb } from './tsdb.js';

/** What to export; everything by default. */
export interface ExportOptions {
  /** Series to export (default: every series, `{__name__=~".+"}`). */
  matchers?: readonly Matcher[];
  /** First millisecond to export (inclusive). */
  mint?: number;
  /** Last millisecond to export (inclusive). */
  maxt?: number;
}

const ALL: readonly Matcher[] = [{ type: '=~', name: '__name__', value: '.+' }];
// Text is handed out in pieces of about this many characters.
const PIECE = 64 * 1024;

interface FamilyOut {
  choice: FamilyChoice;
  series: { name: string; text: string; series: StoredSeries }[];
}

/**
 * The store's samples as OpenMetrics text, in pieces, for `promtool tsdb create-blocks-from openmetrics` or
 * `importOpenMetrics`: one family after another (sorted by name) with `# TYPE`/`# HELP`/`# UNIT` when metadata
 * is known, each series' samples in time order with timestamps in seconds, then `# EOF`. Stale markers are left
 * out (OpenMetrics has no way to write them: they would read back as ordinary NaN samples).
 */
export async function* exportOpenMetrics(db: Tsdb, options: ExportOptions = {}): AsyncGenerator<string> {
  const mint = bound('mint', options.mint, -MAX_TIMESTAMP);
  const maxt = bound('maxt', options.maxt, MAX_TIMESTAMP);
  const metadata = db.metadata();
  const lookup = (metric: string) => metadata.get(metric)?.[0];
  const families = new Map<string, FamilyOut>();
  for (const series of db.select(options.matchers ?? ALL, mint, maxt)) {
    const name = nameOf(series.labels);
    if (name === undefined) continue;
    const choice = familyOf(name, lookup);
    let family = families.get(choice.family);
    if (family === undefined) {
      family = { choice, series: [] };
      families.set(choice.family, family);
    }
    family.series.push({ name, text: seriesText(name, series.labels), series });
  }
  let out = '';
  for (const family of [...families.values()].sort((a, b) => compare(a.choice.family, b.choice.family))) {
    out += familyHeader(family.choice);
    family.series.sort((a, b) => compare(a.name, b.name) || compare(a.text, b.text));
    for (const { text, series } of family.series) {
      const prefix = `${text} `;
      const it = series.samples();
      while (it.next()) {
        const v = it.v;
        if (Number.isNaN(v) && isStaleNaN(v)) continue;
        out += `${prefix}${formatValue(v)} ${formatSeconds(it.t)}\n`;
        if (out.length >= PIECE) {
          yield out;
          out = '';
        }
      }
    }
  }
  yield `${out}# EOF\n`;
}

function nameOf(labels: readonly Label[]): string | undefined {
  for (const l of labels) if (l.name === '__name__') return l.value;
  return undefined;
}

function bound(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TsdbError('VIGIL_TSDB_BAD_OPTION', `option ${name} must be a finite number of ms; got ${String(value)}`);
  }
  return value;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
