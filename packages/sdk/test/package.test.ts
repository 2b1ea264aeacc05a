import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SDK_ERROR_CODES } from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { default: string; types: string }>;
};

test('every entry point in the exports map loads and exports something', async () => {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    const mod = (await import(`@vigil/sdk${entry.slice(1)}`)) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, `${entry} exports nothing`);
  }
});

test('every SDK error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.keys(SDK_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});
