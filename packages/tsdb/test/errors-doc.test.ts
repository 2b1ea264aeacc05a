import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TSDB_ERROR_CODES } from '../src/index.js';

test('every tsdb error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.keys(TSDB_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});
