// Memory held by N active sessions in a SessionRegistry, measured in a fresh process so that
// nothing else lives in its heap. Started by ../recording.ts (fork, --expose-gc); replies over IPC.
import { createLogger } from '@vigil/sdk';
import { SessionRegistry } from '@vigil/sdk/sessions';

const sessions = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.send === undefined) throw new Error('start me with fork() and --expose-gc');

const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
};

const logger = createLogger({ service: 'bench', destination: { write() {} }, env: {} });
const registry = new SessionRegistry({ maxSessions: sessions * 2, sweepIntervalMs: 0, logger });
const before = settle();
for (let i = 0; i < sessions; i++) {
  const id = `session-${i}`;
  registry.start(id, {
    appId: 'support',
    agentId: 'triage',
    userId: `u-${i}`,
    channel: 'api',
    model: 'gpt-4o',
    provider: 'openai',
  });
  registry.recordLlmCall(id, { promptTokens: 1200, completionTokens: 340, durationMs: 812, model: 'gpt-4o' });
  registry.recordToolCall(id, { tool: 'search_docs', ok: true, durationMs: 12 });
  registry.recordToolCall(id, { tool: 'calculator', ok: false, durationMs: 3, error: 'division by zero' });
  registry.completeTurn(id);
}
const after = settle();
const active = registry.stats().active;
registry.close();
process.send({
  sessions,
  active,
  heapBytes: after.heapUsed - before.heapUsed,
  rssBytes: after.rss - before.rss,
  externalBytes: after.external - before.external,
});
process.disconnect();
