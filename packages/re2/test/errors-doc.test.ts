import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RE2_ERROR_CODES } from '../src/index.js';

test('every re2 error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.keys(RE2_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});
