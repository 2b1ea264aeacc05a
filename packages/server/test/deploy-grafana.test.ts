import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type Expr, parseExpr } from '@vigil/promql';
import { createBudgets } from '@vigil/sdk/cost';
import { createMetrics } from '@vigil/sdk/metrics';
import { parse } from 'yaml';

const ROOT = new URL('../../../../', import.meta.url);
const DASHBOARDS = new URL('deploy/grafana/dashboards/', ROOT);
const PROVISIONING = new URL('deploy/grafana/provisioning/', ROOT);

interface Target {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  fieldConfig?: { defaults: { unit?: string } };
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: { uid: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

// Prometheus adds these to every scrape; they are not the SDK's.
const PROMETHEUS_OWN = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_series_added'];
// Grafana's reference to the dashboard's datasource variable.
const DATASOURCE_VAR = '$' + '{datasource}';
// Grafana unit ids the dashboards use; a typo would show raw numbers.
const UNITS = new Set(['short', 'reqps', 'ops', 's', 'percentunit', 'bytes', 'currencyUSD']);
const HISTOGRAM_SERIES = ['_bucket', '_sum', '_count'];

/**
 * Every series name the SDK exports: what createMetrics() and a budget register (HTTP RED,
 * agent, GenAI, budget, process metrics), plus the metric tables of docs/metrics.md for the
 * families that only their module registers (recording, audit).
 */
async function sdkSeriesNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  createBudgets({ budgets: [{ name: 'daily', limitUsd: 1, period: 'day' }], metrics });
  const families = (await metrics.registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }));
  const docs = readFileSync(new URL('docs/metrics.md', ROOT), 'utf8');
  for (const [, name, type] of docs.matchAll(/^\| `([a-z_:][a-z0-9_:]*)`\s*\|\s*([a-z]+)/gm)) {
    families.push({ name: name!, type: type! });
  }
  const names = new Set(PROMETHEUS_OWN);
  for (const { name, type } of families) {
    if (type === 'histogram') for (const suffix of HISTOGRAM_SERIES) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

/** Grafana's variables replaced by values PromQL accepts: intervals by a duration, the rest by a label value. */
function substituteVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)(?::\w+)?\}?/g, (_, name: string) => (name.startsWith('__') ? '5m' : 'x'));
}

/** The variables an expression uses, builtins (`$__rate_interval`) left out. */
function variablesOf(text: string): string[] {
  return [...text.matchAll(/\$\{?(\w+)/g)].map((m) => m[1]!).filter((name) => !name.startsWith('__'));
}

/** Metric names an expression selects, by name or by an equality `__name__` matcher. */
function metricNames(e: Expr): string[] {
  switch (e.type) {
    case 'vectorSelector': {
      const byMatcher = e.matchers.filter((m) => m.name === '__name__' && m.type === '=').map((m) => m.value);
      return [...new Set(e.name === undefined ? byMatcher : [e.name, ...byMatcher])];
    }
    case 'matrixSelector':
      return metricNames(e.selector);
    case 'subquery':
    case 'unary':
    case 'paren':
      return metricNames(e.expr);
    case 'aggregate':
      return [...(e.param ? metricNames(e.param) : []), ...metricNames(e.expr)];
    case 'call':
      return e.args.flatMap(metricNames);
    case 'binary':
      return [...metricNames(e.lhs), ...metricNames(e.rhs)];
    default:
      return [];
  }
}

/** Panels with their rows' nested panels flattened in. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** The selector inside `label_values(selector, label)`, or the whole query. */
function variableSelector(query: string): string {
  const m = /^label_values\((.*),\s*\w+\)$/.exec(query.trim());
  return m ? m[1]! : query;
}

const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
const dashboards = files.map((file) => ({
  file,
  dashboard: JSON.parse(readFileSync(new URL(file, DASHBOARDS), 'utf8')) as Dashboard,
}));

test('the four dashboards are there with distinct uids and titles', () => {
  assert.deepEqual(files.sort(), [
    'vigil-agent-workloads.json',
    'vigil-errors.json',
    'vigil-llm-cost.json',
    'vigil-platform-overview.json',
  ]);
  assert.equal(new Set(dashboards.map((d) => d.dashboard.uid)).size, 4);
  assert.equal(new Set(dashboards.map((d) => d.dashboard.title)).size, 4);
});

for (const { file, dashboard } of dashboards) {
  describe(file, () => {
    const panels = allPanels(dashboard.panels);
    const queryPanels = panels.filter((p) => p.type !== 'row');
    const variables = dashboard.templating.list;

    test('has what Grafana needs to import it: uid, title, schemaVersion, panels with ids and grid positions', () => {
      assert.match(dashboard.uid, /^[a-z0-9-]{1,40}$/);
      assert.ok(dashboard.title.length > 0);
      assert.ok(
        dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41,
        `schemaVersion ${dashboard.schemaVersion}`,
      );
      assert.ok(queryPanels.length > 0);
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, 'panel ids are unique');
      for (const p of panels) {
        const { h, w, x, y } = p.gridPos;
        assert.ok(
          h > 0 && w > 0 && x >= 0 && y >= 0 && x + w <= 24,
          `${p.title}: gridPos ${JSON.stringify(p.gridPos)}`,
        );
      }
    });

    test('has a Prometheus datasource variable and a job variable', () => {
      const ds = variables.find((v) => v.name === 'datasource');
      assert.deepEqual([ds?.type, ds?.query], ['datasource', 'prometheus']);
      assert.equal(variables.find((v) => v.name === 'job')?.type, 'query');
    });

    test('every panel queries the datasource variable, with targets, refIds and a unit', () => {
      for (const p of queryPanels) {
        assert.deepEqual(p.datasource, { type: 'prometheus', uid: DATASOURCE_VAR }, p.title);
        assert.ok(p.targets && p.targets.length > 0, `${p.title}: no targets`);
        assert.equal(new Set(p.targets.map((t) => t.refId)).size, p.targets.length, `${p.title}: refIds repeat`);
        for (const t of p.targets) {
          assert.equal(t.datasource?.uid ?? DATASOURCE_VAR, DATASOURCE_VAR, p.title);
          assert.ok(t.expr.trim().length > 0, `${p.title}: empty expr`);
        }
        const unit = p.fieldConfig?.defaults.unit ?? '';
        assert.ok(
          UNITS.has(unit) || unit.startsWith('suffix:'),
          `${p.title}: unit "${unit}" is not one of ${[...UNITS]}`,
        );
      }
    });

    test('every expression parses and uses only defined variables and metric names the SDK or Prometheus exports', async () => {
      const known = await sdkSeriesNames();
      const defined = new Set(variables.map((v) => v.name));
      const queries = [
        ...queryPanels.flatMap((p) => p.targets!.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
        ...variables
          .filter((v) => v.type === 'query')
          .map((v) => ({
            where: `variable "${v.name}"`,
            expr: variableSelector(typeof v.query === 'string' ? v.query : v.query.query),
          })),
      ];
      for (const { where, expr } of queries) {
        for (const name of variablesOf(expr)) assert.ok(defined.has(name), `${where}: $${name} is not a variable`);
        let parsed: Expr;
        try {
          parsed = parseExpr(substituteVariables(expr));
        } catch (error) {
          assert.fail(`${where}: ${expr}: ${(error as Error).message}`);
        }
        const names = metricNames(parsed);
        assert.ok(names.length > 0, `${where}: selects no metric by name`);
        for (const name of names) assert.ok(known.has(name), `${where}: unknown metric ${name}`);
      }
    });
  });
}

describe('provisioning', () => {
  test('the datasource is Vigil, a Prometheus datasource on http://vigil:8015 with a bearer token from the environment', () => {
    const file = parse(readFileSync(new URL('datasources/vigil.yml', PROVISIONING), 'utf8')) as {
      apiVersion: number;
      datasources: Array<{
        type: string;
        url: string;
        access: string;
        jsonData: Record<string, string>;
        secureJsonData: Record<string, string>;
      }>;
    };
    assert.equal(file.apiVersion, 1);
    const [ds] = file.datasources;
    assert.deepEqual([ds?.type, ds?.url, ds?.access], ['prometheus', 'http://vigil:8015', 'proxy']);
    assert.equal(ds!.jsonData.httpHeaderName1, 'Authorization');
    assert.match(ds!.secureJsonData.httpHeaderValue1!, /^Bearer \$\{?VIGIL_ADMIN_TOKEN\}?$/);
  });

  test('the dashboard provider reads files from where the compose overlay mounts the dashboards', () => {
    const file = parse(readFileSync(new URL('dashboards/vigil.yml', PROVISIONING), 'utf8')) as {
      apiVersion: number;
      providers: Array<{ type: string; options: { path: string } }>;
    };
    assert.equal(file.apiVersion, 1);
    const [provider] = file.providers;
    assert.equal(provider?.type, 'file');
    const compose = readFileSync(new URL('deploy/compose/docker-compose.observability.yml', ROOT), 'utf8');
    assert.ok(
      compose.includes(`./deploy/grafana/dashboards:${provider!.options.path}`),
      `compose mounts the dashboards at ${provider!.options.path}`,
    );
  });
});

test('an unknown metric name or a bad expression is caught', async () => {
  const known = await sdkSeriesNames();
  assert.ok(known.has('gen_ai_client_token_usage_bucket') && known.has('vigil_audit_events_dropped_total'));
  assert.ok(!known.has('gen_ai_client_token_usage'), 'a histogram is queried through its series');
  assert.deepEqual(
    metricNames(parseExpr(substituteVariables('sum(rate(llm_calls_total{job=~"$job"}[$__rate_interval]))'))),
    ['llm_calls_total'],
  );
  assert.throws(() => parseExpr(substituteVariables('sum(rate(up[$__rate_interval])')));
});
