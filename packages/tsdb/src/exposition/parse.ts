import { ExpositionParser } from './parser.js';
import type { ExpositionEntry, ExpositionParseOptions } from './types.js';

/**
 * Parses an exposition into entries, in input order: each family's metadata, then samples,
 * each as its own object. Convenient and still fast; a scrape loop that wants to skip
 * building labels on a cache hit uses `ExpositionParser` directly.
 */
export function* parseExposition(text: string, options: ExpositionParseOptions): Generator<ExpositionEntry, void> {
  const parser = new ExpositionParser(text, options);
  for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
    if (kind === 'family') yield { kind, family: parser.metadata! };
    else yield { kind, sample: parser.sample() };
  }
}
