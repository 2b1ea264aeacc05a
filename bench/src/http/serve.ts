// The server side of a benchmark child: listens on a free loopback port, says which on
// stdout, answers `stats` lines on stdin, and exits when stdin closes, so a parent that
// dies for any reason never leaves its server running.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';

/** What a child counts; the parent checks each instrument saw every request. */
export type ServerCounts = Record<string, number>;

/** The first line a child writes: where it listens. */
export interface ReadyLine {
  port: number;
}

/** A `stats` answer: requests answered, CPU time spent, and what the instruments recorded. */
export interface StatsLine {
  requests: number;
  /** User + system CPU time of the whole child process, in microseconds, since it started. */
  cpuMicros: number;
  counts: ServerCounts;
}

let answered = 0;
const HELLO = 'hello';

/** The hello world every node:http case serves. */
export function hello(_req: IncomingMessage, res: ServerResponse): void {
  answered++;
  res.setHeader('content-type', 'text/plain');
  res.end(HELLO);
}

/** Counts one answered request, for handlers other than `hello` (Express). */
export function countAnswered(): void {
  answered++;
}

/** Serves `listener` on 127.0.0.1, port chosen by the OS, until stdin closes. */
export function serve(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  counts: () => ServerCounts | Promise<ServerCounts> = () => ({}),
): void {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    writeLine({ port: address.port } satisfies ReadyLine);
  });

  const input = createInterface({ input: process.stdin });
  input.on('line', async (line) => {
    if (line.trim() !== 'stats') return;
    const cpu = process.cpuUsage();
    writeLine({ requests: answered, cpuMicros: cpu.user + cpu.system, counts: await counts() } satisfies StatsLine);
  });
  input.on('close', () => {
    server.closeAllConnections();
    server.close();
    // process.exit, not a natural end: --cpu-prof writes its profile on it, and an
    // instrument's unref'd-or-not timers must not keep the child alive.
    process.exit(0);
  });
}

function writeLine(value: ReadyLine | StatsLine): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
