import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { STORE_ERROR_CODES } from '../src/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { default: string; types: string }>;
};

test('every entry point in the exports map loads and exports something', async () => {
  for (const entry of Object.keys(pkg.exports)) {
    const mod = (await import(`@vigil/store${entry.slice(1)}`)) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, `${entry} exports nothing`);
  }
});

test('the main entry point loads no native code; @vigil/store/sqlite loads better-sqlite3', () => {
  const loads = (entry: string) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import('${entry}'); const { createRequire } = await import('node:module');
         const cache = createRequire(import.meta.url).cache;
         process.stdout.write(String(Object.keys(cache).some((k) => k.includes('better-sqlite3'))));`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' },
    );
  assert.equal(loads('@vigil/store'), 'false');
  assert.equal(loads('@vigil/store/sqlite'), 'true');
});

test('every store error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.keys(STORE_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});
