// The dashboard as the real `vigil serve` serves it at `/`, in headless Chromium: the service scrapes the demo
// agent every second, stores its log lines, invocation rows and audit events, and every view renders them through
// the service's own routes. Writes the screenshots of docs/screenshots/ (all but llm-7d, which needs 7 days of
// history: browser.test.ts writes it against Prometheus).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, until as waitUntil, watchedPage } from './support/browser.js';
import { XSS_VALUE } from './support/demo-workload.js';
import { FLEET_TOKEN, type ServiceStack, startServiceStack } from './support/service-stack.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const WAIT_MS = 15_000;

describe('dashboard served by the real service', { timeout: 120_000 }, () => {
  let stack: ServiceStack;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startServiceStack(), launchChromium()]);
    page = await watchedPage(browser, WAIT_MS, { problems, dialogs });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const until = (check: () => Promise<boolean>, what: string) => waitUntil(page, WAIT_MS, check, what);
  const open = async (path: string) => {
    await page.goto(`${stack.url}${path}`);
    const token = page.locator('input[name="token"]');
    await page.locator('nav[aria-label="views"], input[name="token"]').first().waitFor();
    if (await token.isVisible()) {
      await token.fill(FLEET_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('nav[aria-label="views"]').waitFor();
    }
  };
  const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';
  const panel = (title: string) => page.locator(`section.panel[aria-label="${title}"]`);
  const shoot = async (name: string) => {
    await until(async () => (await page.locator('.loading').count()) === 0, 'every panel loaded');
    // From the top, or the sticky header lands in the middle of a full-page shot.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  };
  const agentInstance = () => new URL(stack.agentUrl).host;

  it('asks for the admin token and refuses a wrong one', async () => {
    await page.goto(stack.url);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The service rejected this token.').waitFor();
    await shoot('login');
    await page.getByLabel('Admin token').fill(FLEET_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[aria-label="System health"]').waitFor();
  });

  it('system health shows the scraped targets and each one’s component health through /api/vigil/health', async () => {
    await open('/system?range=15m');
    await panel('Targets').getByText(agentInstance()).first().waitFor();
    const health = panel('Component health');
    await health.getByRole('cell', { name: 'llm_provider', exact: true }).waitFor();
    await health.getByRole('cell', { name: 'record-store', exact: true }).waitFor();
    await shoot('system');
  });

  it('LLM & cost charts the agent’s calls and summarizes its invocation rows', async () => {
    await open('/llm?range=15m');
    await panel('Calls per hour by model').locator('.chart-legend-name').first().waitFor();
    const summary = panel('Calls, cost and latency by task type and model (invocation log)');
    await summary.locator('tbody tr').first().waitFor();
    // The demo agent records through the SDK, so its spend reaches vigil_llm_cost_usd_total.
    const today = panel('Spend').locator('.stat').filter({ hasText: 'today (UTC)' }).locator('.stat-value');
    await until(async () => /^\$0?\.?0*[1-9]/.test(await textOf(today)), 'spend today is a dollar amount above 0');
    await panel('Spend per day (UTC)').locator('tbody tr').first().waitFor();
    await shoot('llm');
  });

  it('agents lists the agent’s sessions, gathered from its /admin/sessions', async () => {
    await open('/agents?range=15m');
    const active = panel('Active sessions (elapsed, turns, tokens, tools)');
    for (const id of ['s-1', 's-2', 's-3']) await active.getByRole('cell', { name: id, exact: true }).waitFor();
    await panel('Tool success rates').locator('tbody tr').first().waitFor();
    // The service itself is scraped too: its catch-all page is not an agent, so it is skipped, not an error.
    const res = await fetch(`${stack.url}/api/vigil/sessions`, { headers: { authorization: `Bearer ${FLEET_TOKEN}` } });
    assert.deepEqual(((await res.json()) as { errors: unknown[] }).errors, []);
    await shoot('agents');
  });

  it('errors shows the stored log lines, the error timeline, and markup as text', async () => {
    await open('/errors?severity=error&range=15m');
    const logs = panel('Log events');
    await logs.getByRole('cell', { name: 'llm.call.failed' }).first().waitFor();
    await logs.getByText(`tool returned ${XSS_VALUE}`).waitFor();
    await panel('Error log lines per bucket by service')
      .locator('.chart-legend-name', { hasText: /^triage-agent$/ })
      .waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    await shoot('errors');
    await logs.getByRole('button', { name: 'req-xss' }).click();
    assert.equal(new URL(page.url()).searchParams.get('correlation_id'), 'req-xss');
  });

  it('audit verifies the chain and lists the events with filters', async () => {
    await open('/audit?range=15m');
    await panel('Chain integrity').getByText('6 events').waitFor();
    await panel('Chain integrity').getByText('intact').waitFor();
    const events = panel('Audit events');
    await events.getByRole('cell', { name: 'token.revoked' }).first().waitFor();
    await events.getByText(XSS_VALUE, { exact: false }).first().waitFor();
    await shoot('audit');
    await page.getByLabel('Event type').fill('gate.denied');
    await until(async () => (await events.getByRole('cell', { name: 'token.revoked' }).count()) === 0, 'filtered');
    await events.getByRole('cell', { name: 'gate.denied' }).first().waitFor();
  });

  it('alerts lists the service’s rules and creates a silence through its API', async () => {
    await open('/alerts?range=15m');
    await panel('Alert rules').locator('tbody tr').first().waitFor();
    await page.getByLabel('Matchers').fill('alertname="TargetDown", job="agents"');
    await page.getByLabel('Created by').fill('on-call');
    await page.getByLabel('Comment').fill(`maintenance ${XSS_VALUE}`);
    await page.getByRole('button', { name: 'Silence' }).click();
    const said = panel('Silences').locator('.form-ok, .form-error');
    await said.waitFor();
    assert.equal(await said.textContent(), 'Silence created');
    await panel('Silences').getByText(`maintenance ${XSS_VALUE}`).first().waitFor();
    await panel('Silences').getByRole('cell', { name: 'alertname="TargetDown", job="agents"' }).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    await shoot('alerts');
  });

  it('explore completes metric names from the service and draws a query', async () => {
    await open('/explore?range=15m');
    const editor = page.getByLabel('PromQL query');
    await editor.pressSequentially('vigil_agent_tur');
    const completions = page.getByRole('listbox', { name: 'completions' });
    await completions.getByText('vigil_agent_turns_total', { exact: true }).waitFor();
    await editor.fill('sum by (instance) (rate(vigil_agent_turns_total[1m]))');
    await editor.press('Enter');
    await panel('Graph').locator('.chart-legend-name').first().waitFor();
    await shoot('explore');
  });

  it('the service pushes an event to the dashboard after a scrape round', async () => {
    const stop = new AbortController();
    const res = await fetch(`${stack.url}/api/vigil/events`, {
      headers: { authorization: `Bearer ${FLEET_TOKEN}` },
      signal: stop.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    try {
      while (!/^data: /m.test(text)) text += (await reader.read()).value ?? '';
    } finally {
      stop.abort();
    }
    assert.match(text, /^data: \{"reason":"scrape"\}$/m);
  });

  it('logged no errors in the browser console', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(dialogs, []);
  });
});
