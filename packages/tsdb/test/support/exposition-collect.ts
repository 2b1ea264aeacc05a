// Runs the exposition parser to the end and gathers what it yielded, for table tests.
import {
  type ExpositionParseOptions,
  type FamilyMetadata,
  parseExposition,
  type Sample,
  TsdbError,
} from '../../src/index.js';

/** Everything one exposition yielded, in order. */
export interface Collected {
  families: FamilyMetadata[];
  samples: Sample[];
  /** `f:<name>` and `s:<name>` in yield order. */
  order: string[];
}

/** Parses `text` to the end. */
export function collect(text: string, options: ExpositionParseOptions): Collected {
  const out: Collected = { families: [], samples: [], order: [] };
  for (const entry of parseExposition(text, options)) {
    if (entry.kind === 'family') {
      out.families.push(entry.family);
      out.order.push(`f:${entry.family.name}`);
    } else {
      out.samples.push(entry.sample);
      out.order.push(`s:${entry.sample.name}`);
    }
  }
  return out;
}

/** The error parsing `text` throws; fails when it throws none or not a TsdbError. */
export function parseError(text: string, options: ExpositionParseOptions): TsdbError {
  try {
    collect(text, options);
  } catch (error) {
    if (error instanceof TsdbError) return error;
    throw error;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

/** Labels as a plain record, for compact assertions. */
export function labelsOf(sample: Sample): Record<string, string> {
  return Object.fromEntries(sample.labels.map((label) => [label.name, label.value]));
}
