// Escapes round-trip: random label values and HELP texts (backslashes, quotes, new lines,
// non-ASCII, astral characters), written escaped as an exporter writes them, read back equal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExpositionFormat } from '../src/index.js';
import { collect } from './support/exposition-collect.js';

const ALPHABET = ['a', 'Z', '0', ' ', '\t', '\\', '"', '\n', '{', '}', ',', '=', '#', 'ü', '東', '🚀', 'n', '\\n'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomText(next: () => number, max: number): string {
  let text = '';
  const length = Math.floor(next() * max);
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

/** Escapes a label value as client libraries do: `\` → `\\`, `"` → `\"`, LF → `\n`. */
const escapeValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Escapes HELP: text format escapes `\` and LF only; OpenMetrics escapes `"` as well. */
const escapeHelp = (help: string, format: ExpositionFormat) =>
  format === 'openmetrics' ? escapeValue(help) : help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

for (const format of ['prometheus', 'openmetrics'] as const) {
  describe(`${format}: escapes round-trip`, () => {
    test('500 random label values and HELP texts read back as written', () => {
      const next = random(format === 'prometheus' ? 7 : 11);
      for (let round = 0; round < 500; round++) {
        const labels = { a: randomText(next, 12), b: randomText(next, 30), c: randomText(next, 3) };
        // Text HELP cannot start with whitespace that survives (one separator is taken), so start it with a letter.
        const help = `h${randomText(next, 40)}`;
        const block = Object.entries(labels)
          .map(([name, value]) => `${name}="${escapeValue(value)}"`)
          .join(',');
        const exposition =
          `# HELP m_total ${escapeHelp(help, format)}\n# TYPE m_total counter\nm_total{${block}} ${round}\n` +
          (format === 'openmetrics' ? '# EOF\n' : '');
        const parsed = collect(exposition, { format });
        assert.equal(parsed.families[0]?.help, help, JSON.stringify(exposition));
        const sample = parsed.samples[0]!;
        assert.deepEqual(
          sample.labels,
          Object.entries(labels).map(([name, value]) => ({ name, value })),
          JSON.stringify(exposition),
        );
        assert.equal(sample.value, round);
      }
    });
  });
}
