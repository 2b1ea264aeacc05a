import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Matcher } from '@vigil/promql';
import { Command, CommanderError } from 'commander';
import { runSilenceCommand } from '../alerting/index.js';
import { parseSelector } from '../api/query-engine.js';
import { auditVerify } from '../audit/verify-command.js';
import { exportData } from '../backfill/export-command.js';
import { importFile, importReport } from '../backfill/import-command.js';
import { ServerError } from '../errors.js';
import { fetchHealth, healthUrl } from '../health/fetch-health.js';
import { exitCodeOf, healthTable } from '../health/health-table.js';
import { cliTime, runQuery } from '../query/query-command.js';
import { queryTable } from '../query/query-table.js';
import { runRulesCheck } from '../rules/index.js';
import { serve } from '../service/serve.js';
import { runTail } from '../tail/index.js';

/** What the CLI talks to; injected so tests run it in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colour: boolean;
  /** True when stderr is a terminal (progress bars redraw in place). */
  interactive?: boolean;
  /** Standard input (`vigil tail` reads it); default process.stdin. */
  stdin?: Readable;
  /** The stream behind `stdout`, for commands that write a lot (export) and must wait for it. */
  stdoutStream?: Writable;
}

/** Exit code when the CLI could not do what was asked (bad argument, refused, unreachable). */
export const EXIT_FAILED = 3;

/** Runs `vigil <args>` and resolves to the process exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  // `vigil silence add|list|expire ...` parses its own words (matchers such as alertname=~"High.*").
  if (args[0] === 'silence') return runSilenceCommand(args.slice(1), io);
  let code = 0;
  const program = new Command('vigil')
    .description('Vigil: observability for AI-agent services')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('health')
    .description("print a service's detailed health; exit 0 ok, 1 degraded, 2 down, 3 could not tell")
    .argument('<url>', 'the service, e.g. http://localhost:8000 (reads /health) or a full URL')
    .option('--token <token>', 'admin token (default: VIGIL_ADMIN_TOKEN)')
    .option('--timeout <ms>', 'give up after this many milliseconds', '5000')
    .option('--json', 'print the raw JSON instead of a table')
    .action(async (target: string, options: { token?: string; timeout: string; json?: boolean }) => {
      const timeout = Number(options.timeout);
      if (!Number.isInteger(timeout) || timeout <= 0) {
        throw new ServerError(
          'VIGIL_BAD_ARGUMENT',
          `--timeout must be a positive integer of milliseconds, got "${options.timeout}"`,
        );
      }
      const health = await fetchHealth(healthUrl(target), options.token ?? io.env.VIGIL_ADMIN_TOKEN, timeout);
      io.stdout(options.json ? `${JSON.stringify(health, null, 2)}\n` : healthTable(health, io.colour));
      code = exitCodeOf(health.status);
    });

  program
    .command('serve')
    .description('run the Vigil service: scrape targets, store samples, answer PromQL (config: vigil.yaml and env)')
    .option('--config <file>', 'a vigil.yaml or prometheus.yml (default: $VIGIL_CONFIG; none: environment only)')
    .action(async (options: { config?: string }) => {
      await serve({ env: io.env, ...(options.config === undefined ? {} : { configPath: options.config }) });
    });

  const dataDirOf = (flag: string | undefined) => resolve(flag ?? io.env.VIGIL_DATA_DIR ?? './.vigil-data');

  program
    .command('import')
    .description(
      'backfill OpenMetrics text (as promtool tsdb create-blocks-from openmetrics reads) into the data directory',
    )
    .argument('<file>', 'the OpenMetrics file, or - for stdin')
    .option(
      '--data-dir <dir>',
      'the data directory (default: $VIGIL_DATA_DIR or ./.vigil-data); stop the service first',
    )
    .action(async (file: string, options: { dataDir?: string }) => {
      const summary = await importFile(file, {
        dataDir: dataDirOf(options.dataDir),
        interactive: io.interactive === true,
        stderr: io.stderr,
      });
      io.stdout(importReport(file, summary));
    });

  program
    .command('export')
    .description(
      'write stored samples as OpenMetrics text (for promtool tsdb create-blocks-from openmetrics or vigil import)',
    )
    .option(
      '--data-dir <dir>',
      'the data directory (default: $VIGIL_DATA_DIR or ./.vigil-data); stop the service first',
    )
    .option('--match <selector>', 'only the series of this selector, e.g. \'{job="node"}\' (default: all)')
    .option('--start <time>', 'first sample time: -24h, Unix seconds or RFC 3339 (default: the oldest)')
    .option('--end <time>', 'last sample time (default: the newest)')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (options: { dataDir?: string; match?: string; start?: string; end?: string; output?: string }) => {
      let matchers: Matcher[] | undefined;
      if (options.match !== undefined) {
        try {
          matchers = parseSelector(options.match);
        } catch (error) {
          throw new ServerError('VIGIL_BAD_ARGUMENT', `--match: ${(error as Error).message}`);
        }
      }
      const now = Date.now();
      await exportData({
        dataDir: dataDirOf(options.dataDir),
        ...(matchers ? { matchers } : {}),
        ...(options.start === undefined ? {} : { mint: cliTime(options.start, '--start', now) }),
        ...(options.end === undefined ? {} : { maxt: cliTime(options.end, '--end', now) }),
        ...(options.output === undefined ? {} : { output: options.output }),
        stdout: io.stdout,
        stdoutStream: io.stdoutStream,
      });
    });

  program
    .command('tail')
    .description('send log lines (stdin or files) to the service, echoing them: node app.js | npx vigil tail')
    .argument('[files...]', 'files to read to their end, in order (default: stdin)')
    .option('--url <url>', 'the service (default: $VIGIL_URL or http://localhost:$VIGIL_PORT, port 8015)')
    .option('--token <token>', 'admin token (default: VIGIL_ADMIN_TOKEN)')
    .option('--service <name>', 'service name for lines that carry none (plain text lines)')
    .option('--batch-size <n>', 'lines per request', '500')
    .option('--flush-interval <ms>', 'longest a line waits before it is sent', '1000')
    .option('--no-echo', 'do not copy lines to stdout')
    .action(async (files: string[], options: Record<string, string | boolean | undefined>) => {
      code = await runTail(
        {
          files,
          ...(typeof options.url === 'string' ? { url: options.url } : {}),
          ...(typeof options.token === 'string' ? { token: options.token } : {}),
          ...(typeof options.service === 'string' ? { service: options.service } : {}),
          batchSize: Number(options.batchSize),
          flushIntervalMs: Number(options.flushInterval),
          echo: options.echo !== false,
        },
        { env: io.env, stdin: io.stdin ?? process.stdin, stdout: io.stdout, stderr: io.stderr },
      );
    });

  program
    .command('rules')
    .description('alerting and recording rule files')
    .command('check')
    .description('validate rule files like promtool check rules; exit 0 valid, 1 problems (each with file and line)')
    .argument('<files...>', 'rule files in Prometheus format')
    .action(async (files: string[]) => {
      code = await runRulesCheck(files, io);
    });

  program
    .command('silence')
    .description('silences: vigil silence add|list|expire (see vigil silence --help)')
    .allowUnknownOption()
    .allowExcessArguments();

  program
    .command('query')
    .description('run a PromQL query against a Vigil (or Prometheus) service; instant unless --start/--end/--step')
    .argument('<expr>', "the PromQL expression, e.g. 'sum by (job) (rate(http_requests_total[5m]))'")
    .option('--url <url>', 'the service (default: $VIGIL_URL or http://localhost:$VIGIL_PORT, port 8015)')
    .option('--time <time>', 'evaluation time of an instant query: now, -5m, Unix seconds or RFC 3339')
    .option('--start <time>', 'range start (default: 1h before --end)')
    .option('--end <time>', 'range end (default: now)')
    .option('--step <step>', 'range step, seconds or a duration such as 15s (default: range / 250, at least 1s)')
    .option('--token <token>', 'admin token (default: VIGIL_ADMIN_TOKEN)')
    .option('--timeout <ms>', 'give up after this many milliseconds', '30000')
    .option('--json', "print the API's data as JSON instead of a table")
    .action(async (expr: string, options: Record<string, string | boolean | undefined>) => {
      const timeout = Number(options.timeout);
      if (!Number.isInteger(timeout) || timeout <= 0) {
        throw new ServerError(
          'VIGIL_BAD_ARGUMENT',
          `--timeout must be a positive integer of milliseconds, got "${options.timeout}"`,
        );
      }
      const url =
        (options.url as string | undefined) ?? io.env.VIGIL_URL ?? `http://localhost:${io.env.VIGIL_PORT || 8015}`;
      const answer = await runQuery(expr, {
        url,
        token: (options.token as string | undefined) ?? io.env.VIGIL_ADMIN_TOKEN,
        time: options.time as string | undefined,
        start: options.start as string | undefined,
        end: options.end as string | undefined,
        step: options.step as string | undefined,
        timeoutMs: timeout,
        now: Date.now(),
      });
      io.stdout(options.json ? `${JSON.stringify(answer, null, 2)}\n` : queryTable(answer));
    });

  program
    .command('audit')
    .description('the hash-chained audit log')
    .command('verify')
    .description(
      'check every row of the audit chain; exit 0 intact, 1 broken (names the first broken row), 3 cannot open',
    )
    .argument('[path]', 'record database (default: $VIGIL_DATA_DIR/vigil.db)')
    .action(async (path?: string) => {
      code = await auditVerify(path, io);
    });

  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_FAILED;
    if (err instanceof ServerError) {
      io.stderr(`vigil: ${err.message} [${err.code}]\n`);
      return err.code === 'VIGIL_UNREACHABLE' && args[0] === 'health' ? 2 : EXIT_FAILED;
    }
    io.stderr(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILED;
  }
}
