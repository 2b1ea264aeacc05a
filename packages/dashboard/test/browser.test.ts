// The dashboard in headless Chromium against a real Prometheus (with 7 days of the demo agent's history) and a
// stand-in for the service's record and dashboard routes: long ranges, alerting, the URL state, pushed events, a 401
// back to the login, and the panels of a service that lacks a route. service-browser.test.ts runs the real service.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, until as waitUntil, watchedPage } from './support/browser.js';
import { ADMIN_TOKEN, type DemoStack, startDemoStack } from './support/demo-stack.js';
import { XSS_VALUE } from './support/demo-workload.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
/** Longest wait for anything on the page: the views poll every 5 s, Prometheus scrapes every 2 s. */
// Bounded waits: generous, since Prometheus, the node exporter and Chromium share 2 busy cores in CI.
const WAIT_MS = 30_000;
// Prometheus evaluates its rules every 2 s, later on a busy machine: the first firing alert gets longer.
const ALERT_WAIT_MS = 45_000;
/** The view that needs what only this stack has: 7 days of history. */
const OWN_SCREENSHOTS = new Set(['llm-7d']);

describe('dashboard in a real browser', { timeout: 240_000 }, () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startDemoStack();
    browser = await launchChromium();
    page = await watchedPage(browser, WAIT_MS, { problems, dialogs });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const until = (check: () => Promise<boolean>, what: string) => waitUntil(page, WAIT_MS, check, what);
  /** The spend stats hold dollar amounts, and spend per day and by model list at least `days` days and every model. */
  const spendShowsNumbers = async (days: number) => {
    const dollars = /^\$\d/;
    const stats = panel('Spend').locator('.stat');
    for (const label of ['today (UTC)', 'this week (from Monday)', 'this month', 'burn rate / hour (last hour)']) {
      const value = stats.filter({ hasText: label }).locator('.stat-value');
      await until(async () => dollars.test(await textOf(value)), `spend ${label} is a dollar amount`);
    }
    const projected = stats.filter({ hasText: 'projected month' }).locator('.stat-value');
    await until(async () => dollars.test(await textOf(projected)), 'the projected month is a dollar amount');
    const amount = (text: string) => Number(text.replace(/[$,]/g, '').replace(/k$/, 'e3'));
    const month = await textOf(stats.filter({ hasText: 'this month' }).locator('.stat-value'));
    const projection = await textOf(projected);
    assert.ok(amount(projection) >= amount(month), `projection ${projection} ≥ month ${month}`);
    const perDay = panel('Spend per day (UTC)').locator('tbody tr');
    await until(async () => (await perDay.count()) >= days, `spend of at least ${days} days`);
    assert.match(await textOf(perDay.first().locator('td').nth(0)), /^\d{4}-\d{2}-\d{2}$/);
    assert.match(await textOf(perDay.first().locator('td').nth(1)), dollars);
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4']) {
      const row = panel('Spend by model in range')
        .getByRole('row')
        .filter({
          has: page.getByRole('cell', { name: model, exact: true }),
        });
      await row.waitFor();
      assert.match(await textOf(row.locator('td').nth(1)), dollars);
    }
  };
  /** Opens `path`, signing in first when the page asks for the token (so each test also runs alone). */
  const open = async (path: string) => {
    await page.goto(`${stack.dashboard.url}${path}`);
    const token = page.locator('input[name="token"]');
    await page.locator('nav[aria-label="views"], input[name="token"]').first().waitFor();
    if (await token.isVisible()) {
      await token.fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('nav[aria-label="views"]').waitFor();
    }
  };
  const text = (value: string) => page.getByText(value, { exact: false }).first();
  const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';
  const panel = (title: string) => page.locator(`section.panel[aria-label="${title}"]`);
  const shoot = async (name: string) => {
    // Charts draw after their data arrives: wait until no panel still says "Loading…".
    await until(async () => (await page.locator('.loading').count()) === 0, 'every panel loaded');
    // The other views' screenshots come from the real service (service-browser.test.ts).
    if (OWN_SCREENSHOTS.has(name)) await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  };

  it('asks for the admin token, refuses a wrong one and opens the system view with the right one', async () => {
    await page.goto(stack.dashboard.url);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await text('The service rejected this token.').waitFor();
    await shoot('login');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[aria-label="System health"]').waitFor();
  });

  it('system health shows services, targets, the firing alert and component health', async (t) => {
    const started = Date.now();
    await open('/system');
    await panel('Services').getByText('support-agent').waitFor();
    t.diagnostic(`system view showed its services ${Date.now() - started} ms after navigation`);
    for (const job of ['node', 'prometheus', 'support-agent']) {
      await panel('Targets').getByRole('cell', { name: job, exact: true }).waitFor();
    }
    await panel('Services').getByText('up · 1/1').first().waitFor();
    await panel('Firing alerts').getByText('HighLlmErrorRate').waitFor({ timeout: ALERT_WAIT_MS });
    const health = panel('Component health');
    await health.getByRole('cell', { name: 'llm-provider', exact: true }).waitFor();
    await health.getByText('p95 latency above 5 s').waitFor();
    await health.getByText('degraded').first().waitFor();
    await shoot('system');
  });

  it('shows a label value that is markup as text and never runs it', async () => {
    await open('/system');
    await panel('Targets').getByText(XSS_VALUE).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'the label value became an element');
    await open('/agents');
    await panel('Tool success rates').getByRole('cell', { name: XSS_VALUE }).first().waitFor();
    await open(`/explore?tab=table&q=${encodeURIComponent('up{job="node"}')}`);
    await panel('Table').getByText(XSS_VALUE).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, [], 'no alert() ran');
  });

  it('LLM & cost charts calls, tokens, latency and errors by model, and the budgets', async () => {
    await open('/system');
    await page.getByRole('navigation', { name: 'views' }).getByText('LLM & cost').click();
    assert.match(page.url(), /\/llm$/);
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4']) {
      await panel('Calls per hour by model')
        .locator('.chart-legend-name', { hasText: new RegExp(`^${model}$`) })
        .waitFor();
    }
    await panel('Latency p50 / p95 / p99').locator('.chart-legend-name', { hasText: /^p99$/ }).waitFor();
    await panel('Error rate by error type').getByText('rate_limited').waitFor();
    await panel('Budgets').getByRole('cell', { name: 'daily' }).waitFor();
    await panel('Budgets').getByRole('cell', { name: '$200', exact: true }).waitFor();
    await panel('LLM calls').getByText('calls in range').waitFor();
    await panel('Calls, cost and latency by task type and model (invocation log)')
      .getByRole('cell', { name: 'parse_task' })
      .first()
      .waitFor();
    assert.equal(await panel('LLM calls').locator('.stat-value', { hasText: '!' }).count(), 0, 'a stat query failed');
    await spendShowsNumbers(1);
    assert.equal((await page.locator('canvas').count()) >= 8, true, 'every chart panel draws a canvas');
    await shoot('llm');
  });

  it('LLM & cost over 7 days of history', async (t) => {
    const started = Date.now();
    await open('/llm?range=7d');
    await panel('Calls per hour by model')
      .locator('.chart-legend-name', { hasText: /^gpt-4o$/ })
      .waitFor();
    t.diagnostic(`7-day LLM view drew its first chart ${Date.now() - started} ms after navigation`);
    await panel('Budget spend').locator('canvas').first().waitFor();
    await spendShowsNumbers(7);
    await shoot('llm-7d');
  });

  it('the model filter goes into the URL and narrows the queries', async () => {
    await open('/llm');
    await page.getByLabel('Model', { exact: true }).selectOption('claude-sonnet-4');
    assert.match(page.url(), /gen_ai_request_model=claude-sonnet-4/);
    const legend = panel('Calls per hour by model').locator('.chart-legend-name');
    await legend.filter({ hasText: /^claude-sonnet-4$/ }).waitFor();
    await until(async () => (await legend.count()) === 1, 'one model left in the legend');
  });

  it('agents shows invocations by outcome and per-tool success rates', async () => {
    await open('/agents');
    const tools = panel('Tool success rates');
    await tools.getByRole('cell', { name: 'send_email' }).first().waitFor();
    await tools.getByRole('cell', { name: 'search_docs' }).first().waitFor();
    await panel('Invocations per hour by outcome').getByText('support ok').waitFor();
    const active = panel('Active sessions (elapsed, turns, tokens, tools)');
    await active.getByRole('cell', { name: 's-105' }).waitFor();
    assert.equal(await active.getByRole('cell', { name: 's-100' }).count(), 0, 'ended sessions are not active');
    await panel('Completed sessions').getByRole('cell', { name: 's-100' }).waitFor();
    await shoot('agents');
  });

  it('errors shows the frequency, the log table with stack traces, and drills down by correlation id', async () => {
    await open('/errors?severity=error');
    await panel('Errors per minute by service').getByText('support-agent llm rate_limited').waitFor();
    const timeline = panel('Error log lines per bucket by service');
    await timeline.locator('.chart-legend-name', { hasText: /^triage-agent$/ }).waitFor();
    assert.equal(await page.getByLabel('Severity').inputValue(), 'error');
    const logs = panel('Log events');
    await logs.getByRole('cell', { name: 'llm.call.failed' }).first().waitFor();
    assert.equal(await logs.getByRole('cell', { name: 'api.call.retried' }).count(), 0, 'warnings are filtered out');
    await logs.getByText(`tool returned ${XSS_VALUE}`).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    const stack = logs.locator('details').filter({ hasText: 'RateLimitError: 429 Too Many Requests' }).first();
    await stack.locator('summary').click();
    await stack.getByText('at callModel (llm/client.ts:88:11)').waitFor();
    await shoot('errors');
    const first = logs.locator('button.link').first();
    const id = (await first.textContent()) ?? '';
    await first.click();
    assert.equal(new URL(page.url()).searchParams.get('correlation_id'), id);
    await until(async () => {
      const ids = await logs.locator('button.link').allTextContents();
      return ids.length > 0 && ids.every((shown) => shown === id);
    }, `only lines of ${id} left`);
  });

  it('audit shows the chain as intact and the events, data as text', async () => {
    await open('/audit');
    await panel('Chain integrity').getByText('30 events').waitFor();
    await panel('Chain integrity').getByText('intact').waitFor();
    const events = panel('Audit events');
    await events.getByRole('cell', { name: 'token.revoked' }).first().waitFor();
    await events.getByText(XSS_VALUE, { exact: false }).first().waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    await shoot('audit');
    await page.getByLabel('Event type').fill('gate.denied');
    await until(async () => (await events.getByRole('cell', { name: 'token.revoked' }).count()) === 0, 'filtered');
    await events.getByRole('cell', { name: 'gate.denied' }).first().waitFor();
  });

  it('alerts lists firing and pending alerts and the rules', async () => {
    await open('/alerts');
    await panel('Firing').getByText('HighLlmErrorRate').waitFor({ timeout: ALERT_WAIT_MS });
    await panel('Pending').getByText('LlmErrorRateSustained').waitFor();
    await panel('Alert rules').getByRole('cell', { name: 'TargetDown' }).waitFor();
    await panel('Silences').getByText('/api/vigil/silences').first().waitFor();
    await page.getByLabel('Matchers').fill('alertname="HighLlmErrorRate"');
    await page.getByRole('button', { name: 'Silence' }).click();
    await panel('Silences').getByText('no silences API yet').waitFor();
    await shoot('alerts');
  });

  it('explore completes metric names, label names and values, and draws the query', async () => {
    await open('/explore');
    const editor = page.getByLabel('PromQL query');
    await editor.pressSequentially('gen_ai_client_tok');
    const completions = page.getByRole('listbox', { name: 'completions' });
    await completions.getByText('gen_ai_client_token_usage_sum', { exact: true }).waitFor();
    await completions.getByText('gen_ai_client_token_usage_sum', { exact: true }).click();
    await until(async () => (await editor.inputValue()) === 'gen_ai_client_token_usage_sum', 'metric name taken');
    await editor.pressSequentially('{gen_ai_tok');
    // The list follows each keystroke: Tab takes the highlighted entry once it is the one for the whole prefix.
    const highlighted = completions.locator('[aria-selected="true"] .mono');
    await until(async () => (await highlighted.textContent()) === 'gen_ai_token_type', 'gen_ai_token_type highlighted');
    await editor.press('Tab');
    await editor.pressSequentially('="');
    await completions.getByText('output', { exact: true }).waitFor();
    await completions.getByText('input', { exact: true }).waitFor();
    await completions.getByText('output', { exact: true }).click();
    const expected = 'gen_ai_client_token_usage_sum{gen_ai_token_type="output"';
    await until(async () => (await editor.inputValue()) === expected, 'label value taken, string closed');
    await editor.fill(
      'sum by (gen_ai_request_model) (rate(gen_ai_client_token_usage_sum{gen_ai_token_type="output"}[5m]))',
    );
    await editor.press('Enter');
    await panel('Graph').locator('.chart-legend-name', { hasText: '{gen_ai_request_model="gpt-4o"}' }).waitFor();
    assert.equal(
      new URL(page.url()).searchParams.get('q'),
      'sum by (gen_ai_request_model) (rate(gen_ai_client_token_usage_sum{gen_ai_token_type="output"}[5m]))',
    );
    await shoot('explore');
  });

  it('explore shows a query error as the service gave it', async () => {
    await open(`/explore?q=${encodeURIComponent('sum(rate(up[5m])')}`);
    const error = panel('Graph').getByRole('alert');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /bad_data/);
  });

  it('the URL holds view, range, query and tab, so a shared link opens the same state', async () => {
    await open(`/explore?range=6h&tab=table&q=${encodeURIComponent('count(up)')}`);
    await page.getByRole('button', { name: /Last 6h/ }).waitFor();
    assert.equal(await page.getByLabel('PromQL query').inputValue(), 'count(up)');
    await panel('Table').getByRole('cell', { name: '3', exact: true }).waitFor();
    await page.getByRole('button', { name: /Last 6h/ }).click();
    await page.getByRole('button', { name: 'Last 15m' }).click();
    assert.match(page.url(), /range=15m/);
    await page.goBack();
    await page.getByRole('button', { name: /Last 6h/ }).waitFor();
  });

  it('a custom time range from the picker becomes from/to in the URL', async () => {
    await open('/llm');
    await page.getByRole('button', { name: /Last 1h/ }).click();
    await page.getByRole('button', { name: 'Apply range' }).click();
    assert.match(page.url(), /from=.*&to=/);
    await page.getByRole('button', { name: /→/ }).waitFor();
    await panel('Calls per hour by model').locator('canvas').first().waitFor();
  });

  it('dragging across a chart zooms into that time range', async () => {
    await open('/llm?range=6h');
    const plot = panel('Calls per hour by model').locator('.u-over');
    await plot.waitFor();
    // A drag made while the chart is still drawing its first data selects nothing: drag again until the URL
    // takes the range (bounded by `until`).
    const zoomed = () => /from=.*&to=/.test(page.url());
    await until(async () => {
      const box = await plot.boundingBox();
      assert.ok(box !== null);
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      for (let i = 0; i < 10 && !zoomed(); i++) await page.waitForTimeout(100);
      return zoomed();
    }, 'a drag across the chart put from= and to= in the URL');
    const url = new URL(page.url());
    const from = Date.parse(url.searchParams.get('from')!);
    const to = Date.parse(url.searchParams.get('to')!);
    // The new range is a part of the 6 h shown (steps are whole minutes, so its end may pass now by one); how
    // large a part depends on the plot's geometry when the drag landed.
    const sixHoursAgo = Date.now() - 6 * 3600_000 - 120_000;
    assert.ok(
      from >= sixHoursAgo && to <= Date.now() + 120_000,
      `zoomed into ${new Date(from).toISOString()}..${new Date(to).toISOString()}`,
    );
    assert.ok(to - from > 0 && to - from < 0.9 * 6 * 3600_000, `zoomed span ${to - from} ms`);
  });

  it('an event pushed by the service refreshes the view', async () => {
    await open('/system');
    await panel('Services').getByText('support-agent').waitFor();
    const before = stack.dashboard.requests('/api/v1/targets');
    await until(async () => stack.dashboard.push() > 0, 'the dashboard connected to the event stream');
    await until(async () => stack.dashboard.requests('/api/v1/targets') > before, 'the targets were asked again');
  });

  it('a 401 from the API returns to the login', async () => {
    await open('/system');
    await panel('Services').getByText('support-agent').waitFor();
    stack.dashboard.setToken('rotated-token');
    // This service pushes changes: the event makes the views reload, and they meet the new token.
    assert.ok(stack.dashboard.push() > 0, 'the dashboard holds an event stream open');
    try {
      await text('no longer accepts the token').waitFor();
      await page.getByLabel('Admin token').waitFor();
      assert.equal(await page.evaluate("sessionStorage.getItem('vigil.adminToken')"), null);
    } finally {
      stack.dashboard.setToken(ADMIN_TOKEN);
    }
  });

  it('on a service without alerting or the health proxy yet, the panels say what they need', async () => {
    await page.goto(`${stack.partial.url}/system`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await panel('Services').getByText('support-agent').waitFor();
    await panel('Firing alerts').getByText('Alerting not available').waitFor();
    await panel('Component health').getByText('Component health not available').waitFor();
    assert.equal(await panel('Overview').getByText('n/a').count(), 1);
    await page.goto(`${stack.partial.url}/alerts`);
    await panel('Alert rules').getByText('/api/v1/rules').waitFor();
    await page.goto(`${stack.partial.url}/errors`);
    await panel('Log events').getByText('/api/vigil/logs').waitFor();
    await panel('Error log lines per bucket by service').getByText('/api/vigil/logs/errors').waitFor();
    await page.goto(`${stack.partial.url}/audit`);
    await panel('Chain integrity').getByText('/api/vigil/audit/verify').waitFor();
    await page.goto(`${stack.partial.url}/agents`);
    await panel('Completed sessions').getByText('/api/vigil/sessions').waitFor();
    await page.goto(`${stack.partial.url}/llm`);
    await page.getByText('/api/vigil/invocations/summary').waitFor();
  });

  it('logged no errors in the browser console', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(dialogs, []);
  });
});
