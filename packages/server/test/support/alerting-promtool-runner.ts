// Runs the alert_rule_test cases of a `promtool test rules` file through Vigil's own rule evaluation, so the
// shipped rules are checked against Prometheus's answers by both engines. Reads the subset of the format the
// shipped tests use: input_series with `a+bxN`, `a-bxN`, `axN`, `_`, `_xN` and `stale`; alert_rule_test.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MemoryQuerier, STALE_NAN } from '@vigil/promql';
import { createMetrics } from '@vigil/sdk/metrics';
import { parse } from 'yaml';
import { createAlerting } from '../../src/alerting/index.js';
import { promqlEngine } from '../../src/api/query-engine.js';
import { parseConfig, parseDuration } from '../../src/config/index.js';
import { capturingLogger, memorySink } from './alerting-harness.js';

interface PromtoolFile {
  rule_files: string[];
  evaluation_interval?: string;
  tests: {
    interval?: string;
    input_series: { series: string; values: string }[];
    alert_rule_test?: {
      eval_time: string;
      alertname: string;
      exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
    }[];
  }[];
}

/** One compared case: what promtool expects and what Vigil produced. */
export interface CaseResult {
  name: string;
  expected: { labels: Record<string, string>; annotations: Record<string, string> }[];
  got: { labels: Record<string, string>; annotations: Record<string, string> }[];
}

/** Expands promtool's value notation into one value (or undefined for `_`) per step. */
export function expandValues(text: string): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const token of text.trim().split(/\s+/)) {
    const m = /^(_|stale|[-+]?[\d.e+-]+?)(?:([-+])([\d.e]+))?(?:x(\d+))?$/.exec(token);
    if (!m) throw new Error(`unsupported value notation ${JSON.stringify(token)}`);
    const times = m[4] === undefined ? 0 : Number(m[4]);
    if (m[1] === '_') {
      for (let i = 0; i <= times; i++) out.push(undefined);
      continue;
    }
    if (m[1] === 'stale') {
      out.push(STALE_NAN);
      continue;
    }
    const start = Number(m[1]);
    const step = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '-' ? -1 : 1);
    for (let i = 0; i <= times; i++) out.push(start + step * i);
  }
  return out;
}

/** Parses `name{a="1", b="2"}` into a label record. */
export function parseSeries(text: string): Record<string, string> {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/s.exec(text.trim());
  if (!m) throw new Error(`bad series ${text}`);
  const labels: Record<string, string> = {};
  if (m[1]) labels.__name__ = m[1];
  for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g))
    labels[pair[1]!] = JSON.parse(`"${pair[2]}"`) as string;
  return labels;
}

/** Runs every alert_rule_test of `file` through Vigil. */
export async function runPromtoolFile(file: string): Promise<CaseResult[]> {
  const spec = parse(readFileSync(file, 'utf8')) as PromtoolFile;
  const dir = dirname(file);
  const evalInterval = parseDuration(spec.evaluation_interval ?? '1m')!;
  const results: CaseResult[] = [];
  for (const [index, t] of spec.tests.entries()) {
    const cases = t.alert_rule_test ?? [];
    if (cases.length === 0) continue;
    const interval = parseDuration(t.interval ?? '1m')!;
    const store = new MemoryQuerier();
    for (const s of t.input_series) {
      const labels = parseSeries(s.series);
      expandValues(s.values).forEach((v, i) => {
        if (v !== undefined) store.add(labels, i * interval, v);
      });
    }
    const yaml = `global: { evaluation_interval: ${spec.evaluation_interval ?? '1m'} }\nrule_files: ${JSON.stringify(spec.rule_files.map((f) => resolve(dir, f)))}\n`;
    const config = parseConfig(yaml, resolve(dir, 'vigil.yaml'), {}, dir);
    let now = 0;
    const alerting = createAlerting({
      config,
      engine: promqlEngine(() => store),
      querier: () => store,
      sink: memorySink(store),
      logger: capturingLogger().logger,
      metrics: createMetrics({ defaultMetrics: false }),
      now: () => now,
      silencesFile: false,
    });
    await alerting.start();
    await alerting.stop();
    const byTime = new Map<number, typeof cases>();
    for (const c of cases) {
      const at = parseDuration(c.eval_time)!;
      byTime.set(at, [...(byTime.get(at) ?? []), c]);
    }
    const last = Math.max(...byTime.keys());
    for (now = 0; now <= last; now += evalInterval) {
      await alerting.tick();
      for (const c of byTime.get(now) ?? []) {
        const got = alerting.rules
          .activeAlerts()
          .filter((a) => a.state === 'firing' && a.labels.alertname === c.alertname)
          .map((a) => ({ labels: a.labels, annotations: a.annotations }));
        const expected = (c.exp_alerts ?? []).map((e) => ({
          labels: {
            ...Object.fromEntries(Object.entries(e.exp_labels ?? {}).map(([k, v]) => [k, String(v)])),
            alertname: c.alertname,
          },
          annotations: e.exp_annotations ?? {},
        }));
        results.push({
          name: `${file.split('/').pop()} test ${index} ${c.alertname} at ${c.eval_time}`,
          expected,
          got,
        });
      }
    }
  }
  return results;
}
