import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { default: string; types: string }>;
};

test('every entry point in the exports map loads and exports something', async () => {
  for (const entry of Object.keys(pkg.exports)) {
    const mod = (await import(`@vigil/promql${entry.slice(1)}`)) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, `${entry} exports nothing`);
  }
});

test('the main entry point does not load node:test (only @vigil/promql/contract does)', () => {
  const loadsNodeTest = (entry: string) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import('${entry}');
         process.stdout.write(String(process.moduleLoadList.some((m) => m.includes('test_runner'))));`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' },
    );
  assert.equal(loadsNodeTest('@vigil/promql'), 'false');
  assert.equal(loadsNodeTest('@vigil/promql/contract'), 'true');
});
