// The servers the HTTP benchmark compares, each a child entry of its own.
import { fileURLToPath } from 'node:url';

/** One server to measure. */
export interface ServerCase {
  /** A stable id that ratios and BENCH_HTTP_CASES refer to. */
  id: string;
  /** What runs, in the reader's words. */
  label: string;
  /** The child's entry file. */
  entry: string;
  args: readonly string[];
  /** The case this one's cost is measured against: the same server without the instrument. */
  baseline?: string;
  /** Counts the child reports that must each reach the number of requests answered. */
  instruments: readonly string[];
}

const entry = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Every case, baselines first. */
export const SERVER_CASES: readonly ServerCase[] = [
  { id: 'node', label: 'node:http', entry: entry('./node-server.js'), args: [], instruments: [] },
  {
    id: 'als',
    label: 'node:http inside AsyncLocalStorage.run (no instrument: the floor of any request context)',
    entry: entry('./node-server.js'),
    args: ['--async-local-storage'],
    baseline: 'node',
    instruments: ['contexts'],
  },
  {
    id: 'vigil',
    label: 'node:http + Vigil correlation (request log on) + RED',
    entry: entry('./vigil-server.js'),
    args: [],
    baseline: 'node',
    instruments: ['logLines', 'requestsCounted'],
  },
  {
    id: 'vigil-nolog',
    label: 'node:http + Vigil correlation (request log off) + RED',
    entry: entry('./vigil-server.js'),
    args: ['--no-request-log'],
    baseline: 'node',
    instruments: ['requestsCounted'],
  },
  {
    id: 'otel',
    label: 'node:http + OTel instrumentation-http',
    entry: entry('./otel-server.js'),
    args: [],
    baseline: 'node',
    instruments: ['spans'],
  },
  { id: 'express', label: 'Express 5', entry: entry('./express-server.js'), args: [], instruments: [] },
  {
    id: 'express-prom',
    label: 'Express 5 + express-prom-bundle',
    entry: entry('./express-server.js'),
    args: ['--prom-bundle'],
    baseline: 'express',
    instruments: ['requestsCounted'],
  },
];
