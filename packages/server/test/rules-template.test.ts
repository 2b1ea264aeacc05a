import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goE, goG, goSprintf } from '../src/rules/go-format.js';
import { humanize, humanize1024, humanizeDuration, humanizePercentage } from '../src/rules/humanize.js';
import { expandTemplate, RuleTemplate } from '../src/rules/template.js';

const data = {
  labels: { job: 'api', instance: 'h:1', 'weird-name': 'w' } as Record<string, string>,
  value: 0.012345,
  externalLabels: { cluster: 'eu' },
  externalURL: 'http://vigil:8015',
};

describe('rule templates (the Go text/template subset Prometheus rules use)', () => {
  const cases: [string, string][] = [
    ['{{ $labels.job }} on {{ $labels.instance }}', 'api on h:1'],
    ['{{ $value }}', '0.012345'],
    ['{{ $value | humanize }}', '12.35m'],
    ['{{ $value | humanizePercentage }}', '1.234%'],
    ['{{ printf "%.2f" $value }}', '0.01'],
    ['{{ humanize 1234567 }}', '1.235M'],
    ['{{ .Labels.job }} {{ .Value }}', 'api 0.012345'],
    ['{{ index $labels "weird-name" }}', 'w'],
    ['{{ $labels.missing }}|', '|'],
    ['{{ $externalLabels.cluster }} {{ $externalURL }}', 'eu http://vigil:8015'],
    ['a  {{- $labels.job -}}  b', 'aapib'],
    ['x{{/* a comment */}}y', 'xy'],
    ['{{ $labels.job | toUpper }}', 'API'],
    ['{{ "quoted }} brace" }}', 'quoted }} brace'],
  ];
  for (const [source, expected] of cases) {
    test(`${source} → ${expected}`, () => assert.equal(expandTemplate(source, data), expected));
  }

  const bad: [string, RegExp][] = [
    ['{{ if $value }}x{{ end }}', /"if" is not supported/],
    ['{{ $labels.job | nosuch }}', /function "nosuch" not defined/],
    ['{{ $nope }}', /undefined variable "\$nope"/],
    ['{{ $labels.job ', /unclosed action/],
    ['{{ }}', /missing value for command/],
    ['{{ .Nope }}', /can't evaluate field Nope/],
    ['{{ humanize }}', /wrong number of args for humanize: want 1, got 0/],
    ['line\n{{ $value | }}', /Error: 2:1: missing command after \|/],
  ];
  for (const [source, re] of bad) {
    test(`refused at parse time: ${JSON.stringify(source)}`, () => assert.throws(() => new RuleTemplate(source), re));
  }

  test('printf with an unsupported verb fails at expansion with the verb named', () => {
    assert.throws(() => expandTemplate('{{ printf "%x" $value }}', data), /printf verb %x is not supported/);
  });
});

describe('numbers as Go prints them', () => {
  test('%v (shortest %g)', () => {
    assert.equal(goG(1), '1');
    assert.equal(goG(100000), '100000');
    assert.equal(goG(1234567), '1.234567e+06');
    assert.equal(goG(0.0001), '0.0001');
    assert.equal(goG(0.00001), '1e-05');
    assert.equal(goG(Number.NaN), 'NaN');
    assert.equal(goG(Number.POSITIVE_INFINITY), '+Inf');
  });
  test('%e as /api/v1/alerts writes values', () => {
    assert.equal(goE(1), '1e+00');
    assert.equal(goE(1.5), '1.5e+00');
    assert.equal(goE(0.012), '1.2e-02');
  });
  test('printf verbs', () => {
    assert.equal(goSprintf('%s=%d %.3f %5.1f %%', ['a', 3, Math.PI, 2.26]), 'a=3 3.142   2.3 %');
  });
  test('humanize family', () => {
    assert.equal(humanize(0), '0');
    assert.equal(humanize(1500), '1.5k');
    assert.equal(humanize(0.5), '500m');
    assert.equal(humanize1024(1048576), '1Mi');
    assert.equal(humanizeDuration(3725), '1h 2m 5s');
    assert.equal(humanizeDuration(90061), '1d 1h 1m 1s');
    assert.equal(humanizeDuration(12.3456), '12.35s');
    assert.equal(humanizeDuration(0.25), '250ms');
    assert.equal(humanizePercentage(0.5), '50%');
  });
});

test('ties round to even as Go does, not up as JavaScript does', () => {
  assert.equal(goG(58.125, 4), '58.12');
  assert.equal(goG(58.375, 4), '58.38');
  assert.equal(goSprintf('%.1f', [2.25]), '2.2');
  assert.equal(goSprintf('%.1f', [2.35]), '2.4');
  assert.equal(humanizeDuration(58.125), '58.12s');
});
