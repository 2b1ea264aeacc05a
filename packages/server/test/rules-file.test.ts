import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readRuleFile, runRulesCheck } from '../src/rules/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/rules/', import.meta.url));
const read = (name: string) => readRuleFile(readFileSync(join(FIXTURES, name), 'utf8'), name, 60_000);

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
}

describe('rule files in Prometheus format', () => {
  test('a good file gives its groups, intervals, for, keep_firing_for, labels and annotations', () => {
    const { groups, problems } = read('good.yml');
    assert.deepEqual(problems, []);
    assert.equal(groups.length, 2);
    const [api, other] = groups;
    assert.equal(api!.intervalMs, 30_000);
    assert.equal(other!.intervalMs, 60_000, 'a group without interval takes evaluation_interval');
    const alert = api!.rules[1]!;
    assert.equal(alert.kind, 'alerting');
    if (alert.kind !== 'alerting') return;
    assert.equal(alert.forMs, 300_000);
    assert.equal(alert.keepFiringForMs, 120_000);
    assert.equal(alert.line, 7);
    assert.deepEqual([...alert.labels.keys()], ['severity', 'team']);
    assert.deepEqual([...alert.annotations.keys()], ['summary', 'description']);
    assert.equal(api!.rules[0]!.kind, 'recording');
  });

  test('a bad expression names the file, line, group and rule; the good rule of the file is still read', () => {
    const { groups, problems } = read('bad-expr.yml');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'VIGIL_BAD_RULES');
    assert.match(
      problems[0]!.message,
      /^bad-expr\.yml line 7: group "api", alert "BrokenExpr": groups\[0\]\.rules\[1\]\.expr: could not parse expression: .*parse error/,
    );
    assert.equal(groups[0]!.rules.length, 1);
  });

  test('a template with an unknown function is refused with its place', () => {
    const { problems } = read('bad-template.yml');
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!.message,
      /bad-template\.yml line 7: group "api", alert "BadTemplate": .*annotations\.summary: template: 1:1: function "nosuchfunc" not defined/,
    );
  });

  test('every problem of a file is listed: duration, duplicate group, names, for on a recording rule, both kinds, unknown key', () => {
    const { problems } = read('bad-many.yml');
    const messages = problems.map((p) => p.message);
    const expect = [
      /line 6: group "dup", alert "A": .*\.for: expected a duration .* got "soon"/,
      /line 7: group "dup": .*group name "dup" is repeated in the same file/,
      /line 11: group "third", record "bad-name": .*invalid recording rule name "bad-name"/,
      /line 15: group "third", record "ok_name": .*invalid field 'for' in recording rule/,
      /line 16: group "third", alert "Both": .*only one of 'record' and 'alert' may be set/,
      /line 22: group "third", alert "BadLabel": .*invalid label name "1bad"/,
      /line 25: group "third", alert "UnknownKey": groups\[2\]\.rules\[4\]\.severity is not a rule file key/,
    ];
    assert.equal(messages.length, expect.length, messages.join('\n'));
    for (const [i, re] of expect.entries()) assert.match(messages[i]!, re);
  });

  test('YAML that does not parse names its line', () => {
    const { problems } = readRuleFile('groups:\n  - name: a\n    rules: [\n', 'broken.yml', 60_000);
    assert.match(problems[0]!.message, /^broken\.yml line \d+: /);
  });

  test('vigil rules check: 0 and a count for good files, 1 and every problem for bad ones', async () => {
    const good = io();
    assert.equal(await runRulesCheck([join(FIXTURES, 'good.yml')], good.io), 0);
    assert.match(good.out.join('\n'), /SUCCESS: 3 rules found/);
    const bad = io();
    assert.equal(
      await runRulesCheck(
        [join(FIXTURES, 'good.yml'), join(FIXTURES, 'bad-many.yml'), join(FIXTURES, 'missing.yml')],
        bad.io,
      ),
      1,
    );
    assert.match(bad.err.join('\n'), /invalid label name "1bad" \[VIGIL_BAD_RULES\]/);
    assert.match(bad.err.join('\n'), /missing\.yml: cannot read the rule file: no such file/);
  });

  test('promtool agrees: it accepts the good file and refuses each bad one', {
    skip: !hasPromtool() && 'promtool is not installed',
  }, () => {
    execFileSync('promtool', ['check', 'rules', join(FIXTURES, 'good.yml')], { stdio: 'pipe' });
    for (const bad of ['bad-expr.yml', 'bad-template.yml', 'bad-many.yml'])
      assert.throws(() => execFileSync('promtool', ['check', 'rules', join(FIXTURES, bad)], { stdio: 'pipe' }), bad);
  });
});

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
