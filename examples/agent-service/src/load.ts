// The load generator, as a library (`startLoad`) and as a command:
//   node dist/src/load.js --target http://127.0.0.1:8000 [--rate 2] [--sessions 5] [--requests N]
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '@vigil/sdk';
import { startLoad } from './load/generator.js';

export { type Load, type LoadOptions, type LoadStats, startLoad } from './load/generator.js';

const USAGE = 'usage: node dist/src/load.js --target http://127.0.0.1:8000 [--rate 2] [--sessions 5] [--requests N]';

async function runCommand(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', default: 'http://127.0.0.1:8000' },
        rate: { type: 'string', default: '2' },
        sessions: { type: 'string', default: '5' },
        requests: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = createLogger({ service: 'load-generator' });
  let load: ReturnType<typeof startLoad>;
  try {
    load = startLoad({
      target: String(values.target),
      ratePerSecond: Number(values.rate),
      sessions: Number(values.sessions),
      ...(values.requests === undefined ? {} : { maxRequests: Number(values.requests) }),
      logger: log,
    });
  } catch (error) {
    process.stderr.write(`load: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  log.info({ target: values.target, rate_per_second: Number(values.rate) }, `sending load to ${values.target}`);
  const stop = () => void load.stop();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const stats = await load.finished;
  log.info({ ...stats }, `load stopped: ${stats.sent} sent, ${stats.ok} ok, ${stats.failed} failed`);
  return 0;
}

// Run as a command only when this file is the entry point, not when imported.
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await runCommand(process.argv.slice(2));
