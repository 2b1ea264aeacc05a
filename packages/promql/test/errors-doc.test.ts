import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PROMQL_ERROR_CODES } from '../src/index.js';

test('every promql error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## @vigil/promql'));
  assert.ok(doc.includes('## @vigil/promql'), 'docs/errors.md has no @vigil/promql section');
  for (const code of Object.keys(PROMQL_ERROR_CODES)) assert.match(section, new RegExp(`\\b${code}\\b`), code);
});
