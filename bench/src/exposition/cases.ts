import { createRequire } from 'node:module';
import { ExpositionParser, parseExposition } from '@vigil/tsdb';

// The peer ships CommonJS without types.
const require = createRequire(import.meta.url);
const parsePrometheusTextFormat = require('parse-prometheus-text-format') as (text: string) => Array<{
  metrics: unknown[];
}>;

/** A parser under test: `parse(text)` parses the whole exposition and returns the samples it saw. */
export interface ParseCase {
  id: string;
  label: string;
  parse(text: string): number;
}

/** Every case, the peer first. */
export const PARSE_CASES: ParseCase[] = [
  {
    id: 'peer',
    label: 'parse-prometheus-text-format 1.1.1',
    // Its objects group samples by family; histogram and summary samples sit inside one metric each.
    parse: (text) => parsePrometheusTextFormat(text).reduce((n, family) => n + family.metrics.length, 0),
  },
  {
    id: 'vigil-entries',
    label: 'Vigil, parseExposition (an object with sorted labels per sample)',
    parse(text) {
      let n = 0;
      for (const entry of parseExposition(text, { format: 'prometheus' })) {
        if (entry.kind === 'sample' && entry.sample.labels.length >= 0) n++;
      }
      return n;
    },
  },
  {
    id: 'vigil-pull',
    label: 'Vigil, ExpositionParser (series key, value; labels left unbuilt, as on a cache hit)',
    parse(text) {
      const parser = new ExpositionParser(text, { format: 'prometheus' });
      let n = 0;
      let sum = 0;
      for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
        if (kind !== 'sample') continue;
        sum += parser.series.length + parser.value;
        n++;
      }
      if (Number.isNaN(sum)) throw new Error('unexpected NaN');
      return n;
    },
  },
];
