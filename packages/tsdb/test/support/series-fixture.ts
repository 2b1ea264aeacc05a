import type { Label } from '../../src/exposition/types.js';
import { SeriesIndex } from '../../src/series/series-index.js';

/** A small index whose series are easy to reason about, and the ids by a short name. */
export function fixture(): { index: SeriesIndex; id: Record<string, number> } {
  const index = new SeriesIndex();
  const sets: Record<string, Record<string, string>> = {
    upA: { __name__: 'up', job: 'api', instance: 'a:9100' },
    upB: { __name__: 'up', job: 'api', instance: 'b:9100' },
    upDb: { __name__: 'up', job: 'db', instance: 'c:9100', env: 'prod' },
    reqGet: { __name__: 'http_requests_total', job: 'api', method: 'GET', env: 'prod' },
    reqPost: { __name__: 'http_requests_total', job: 'api', method: 'POST', env: '' },
    bar: { __name__: 'bar', foo: 'bar' },
    barx: { __name__: 'bar', foo: 'barx' },
  };
  const id: Record<string, number> = {};
  for (const [name, labels] of Object.entries(sets)) id[name] = index.add(labels);
  return { index, id };
}

/** The value a series has for a label, "" when it lacks it. */
export function labelValue(labels: readonly Label[], name: string): string {
  return labels.find((l) => l.name === name)?.value ?? '';
}
