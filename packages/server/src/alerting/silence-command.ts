// `vigil silence add|list|expire`: silences through the service's API (/api/vigil/silences) with the admin token.

import { Command, CommanderError } from 'commander';
import type { CliIo } from '../cli/program.js';
import { parseDuration } from '../config/units.js';
import { ServerError } from '../errors.js';
import { formatMatcher, fromApiMatcher, parseMatcher, toApiMatcher } from './matchers.js';
import type { SilenceView } from './silences.js';

interface Common {
  url?: string;
  token?: string;
}

/**
 * Runs `vigil silence <args>`; resolves to the exit code: 0 done, 1 refused (bad silence, no such id), 3 could not
 * ask (bad argument, unreachable, unauthorized). `args` are the words after `silence`.
 */
export async function runSilenceCommand(args: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const fail = (error: unknown) => {
    const e = error as ServerError;
    io.stderr(`vigil: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
    code = e.code === 'VIGIL_BAD_SILENCE' ? 1 : 3;
  };
  const program = new Command('vigil silence')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .description('create, list and expire silences on a running Vigil service');
  const common = (c: Command) =>
    c
      .option('--url <url>', 'the service (default: $VIGIL_URL or http://localhost:$VIGIL_PORT, port 8015)')
      .option('--token <token>', 'admin token (default: VIGIL_ADMIN_TOKEN)');

  common(
    program
      .command('add')
      .description('silence the alerts matching every matcher, e.g. alertname=HighErrorRate \'job=~"api|web"\'')
      .argument('<matchers...>', 'name=value, name!=value, name=~regex, name!~regex')
      .requiredOption('--comment <text>', 'why the alerts are silenced')
      .option('--author <name>', 'who silences (default: $USER)')
      .option('--duration <duration>', 'how long, e.g. 2h or 30m', '1h')
      .option('--start <time>', 'when it starts (RFC 3339; default now)'),
  ).action(
    async (matchers: string[], o: Common & { comment: string; author?: string; duration: string; start?: string }) => {
      try {
        const parsed = matchers.map((m) => {
          try {
            return parseMatcher(m);
          } catch (error) {
            throw new ServerError('VIGIL_BAD_ARGUMENT', (error as Error).message);
          }
        });
        const ms = parseDuration(o.duration);
        if (!ms)
          throw new ServerError(
            'VIGIL_BAD_ARGUMENT',
            `--duration: expected a duration such as 2h or 30m, got ${JSON.stringify(o.duration)}`,
          );
        const start = o.start === undefined ? Date.now() : Date.parse(o.start);
        if (Number.isNaN(start))
          throw new ServerError(
            'VIGIL_BAD_ARGUMENT',
            `--start: expected an RFC 3339 time, got ${JSON.stringify(o.start)}`,
          );
        const author = o.author ?? io.env.USER ?? '';
        const body = {
          matchers: parsed.map(toApiMatcher),
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + ms).toISOString(),
          createdBy: author,
          comment: o.comment,
        };
        const data = (await call(io, o, 'POST', '/api/vigil/silences', body)) as { silenceID: string };
        io.stdout(data.silenceID);
      } catch (error) {
        fail(error);
      }
    },
  );

  common(program.command('list').description('list silences').option('--expired', 'show expired ones too')).action(
    async (o: Common & { expired?: boolean }) => {
      try {
        const silences = (await call(io, o, 'GET', '/api/vigil/silences')) as SilenceView[];
        const shown = silences.filter((s) => o.expired || s.status.state !== 'expired');
        if (shown.length === 0) io.stdout('no silences');
        for (const s of shown) {
          const matchers = s.matchers.map((m) => formatMatcher(fromApiMatcher(m))).join(', ');
          io.stdout(
            `${s.id}  ${s.status.state.padEnd(8)} ${s.startsAt} → ${s.endsAt}  {${matchers}}  ${s.createdBy}: ${s.comment}`,
          );
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  common(program.command('expire').description('expire silences now').argument('<ids...>', 'silence ids')).action(
    async (ids: string[], o: Common) => {
      try {
        for (const id of ids) {
          await call(io, o, 'DELETE', `/api/vigil/silences/${encodeURIComponent(id)}`);
          io.stdout(`expired ${id}`);
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 3;
    throw error;
  }
  return code;
}

async function call(io: CliIo, o: Common, method: string, path: string, body?: unknown): Promise<unknown> {
  const base = o.url ?? io.env.VIGIL_URL ?? `http://localhost:${io.env.VIGIL_PORT || 8015}`;
  const token = o.token ?? io.env.VIGIL_ADMIN_TOKEN;
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ServerError('VIGIL_UNREACHABLE', `${base}: ${cause}`);
  }
  if (response.status === 401 || response.status === 403)
    throw new ServerError(
      'VIGIL_UNAUTHORIZED',
      `${base} refused the admin token (${response.status}): set VIGIL_ADMIN_TOKEN or --token`,
    );
  let json: { status?: string; data?: unknown; error?: string };
  try {
    json = (await response.json()) as typeof json;
  } catch {
    throw new ServerError('VIGIL_BAD_RESPONSE', `${base}${path} answered ${response.status} without JSON`);
  }
  if (json.status !== 'success') {
    const message = (json.error ?? `HTTP ${response.status}`).replace(/ \[VIGIL_BAD_SILENCE\]$/, '');
    throw new ServerError(
      response.status === 400 || response.status === 404 ? 'VIGIL_BAD_SILENCE' : 'VIGIL_BAD_RESPONSE',
      message,
    );
  }
  return json.data;
}
