import { requireArgument, type Tool } from './tool.js';

/** One page of the simulated documentation. */
interface DocPage {
  title: string;
  text: string;
}

const PAGES: readonly DocPage[] = [
  {
    title: 'Getting started',
    text: 'Install the SDK with npm install @vigil/sdk and create a logger for your service.',
  },
  { title: 'Correlation ids', text: 'Every request gets an X-Request-ID that appears on each log line it writes.' },
  { title: 'Rate limits', text: 'Providers answer 429 when you exceed your quota; retry with exponential backoff.' },
  { title: 'Token usage', text: 'Prompt tokens grow with the conversation history; completion tokens with the reply.' },
  {
    title: 'Health probes',
    text: 'GET /healthz answers alive, GET /readyz answers ready or draining during shutdown.',
  },
  { title: 'Budgets', text: 'Set a daily cost budget per agent; Vigil warns at 80% and can pause the agent.' },
  { title: 'Alert rules', text: 'Alert rules use PromQL and the Prometheus rule file format.' },
];

const WORD = /[a-z0-9]+/g;

/** A simulated documentation search: ranks a small built-in set of pages by shared words. */
export const searchDocs: Tool = {
  name: 'search_docs',
  description: 'Searches the product documentation.',
  medianLatencyMs: 220,
  failureRate: 0.02,
  matches: (text) => /\b(how|docs?|documentation|configure|setup|install|error)\b/i.test(text),
  argumentsFor: (text) => ({ query: text.trim().slice(0, 120) }),
  run(args) {
    const query = new Set(requireArgument(args, 'query').toLowerCase().match(WORD));
    let best: DocPage | undefined;
    let bestScore = 0;
    for (const page of PAGES) {
      const words = `${page.title} ${page.text}`.toLowerCase().match(WORD) ?? [];
      const score = words.filter((word) => query.has(word)).length;
      if (score > bestScore) {
        best = page;
        bestScore = score;
      }
    }
    return best === undefined ? 'no matching page' : `${best.title}: ${best.text}`;
  },
};
