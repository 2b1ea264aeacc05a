import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runRulesCheck } from '../src/rules/index.js';
import { runPromtoolFile } from './support/alerting-promtool-runner.js';

const DEPLOY = fileURLToPath(new URL('../../../../deploy/prometheus/', import.meta.url));
const RULES = readdirSync(join(DEPLOY, 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(DEPLOY, 'rules', f));
const TESTS = readdirSync(join(DEPLOY, 'tests'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(DEPLOY, 'tests', f));

function promtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = !promtool() && 'promtool is not installed (Debian/Ubuntu: apt-get install prometheus)';

describe('the rule files shipped in deploy/prometheus', () => {
  test('there are rule files and unit tests for each', () => {
    assert.ok(RULES.length >= 4);
    for (const rules of RULES) {
      const name = rules.split('/').pop()!.replace('.rules.yml', '.test.yml');
      assert.ok(
        TESTS.some((t) => t.endsWith(`/${name}`)),
        `a promtool unit test for ${rules}`,
      );
    }
  });

  test('promtool check rules accepts every file', { skip }, async () => {
    const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', ...RULES]);
    assert.equal(stdout.match(/SUCCESS/g)?.length, RULES.length);
  });

  test('promtool test rules passes every unit test', { skip }, async () => {
    const { stdout } = await promisify(execFile)('promtool', ['test', 'rules', ...TESTS], { cwd: join(DEPLOY) });
    assert.equal(stdout.match(/SUCCESS/g)?.length, TESTS.length, stdout);
  });

  test('vigil rules check accepts every file', async () => {
    const out: string[] = [];
    const code = await runRulesCheck(RULES, { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) });
    assert.equal(code, 0, out.join('\n'));
  });

  for (const file of TESTS) {
    test(`Vigil's evaluation gives the alerts promtool expects: ${file.split('/').pop()}`, async () => {
      const results = await runPromtoolFile(file);
      assert.ok(results.length > 0);
      const sort = (xs: { labels: Record<string, string> }[]) =>
        [...xs].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
      for (const r of results) assert.deepEqual(sort(r.got), sort(r.expected), r.name);
    });
  }
});
