// The process of one logging case (its id is the first argument), driven by ../logging.ts.
import { serveCase } from '../harness/case-process.js';
import { CountingSink, LOGGING_CASES } from './cases.js';

const id = process.argv[2];
const benchCase = LOGGING_CASES.find((c) => c.id === id);
if (benchCase === undefined) throw new Error(`no logging case "${id}"`);

const sink = new CountingSink();
const loop = benchCase.setup(sink);
const expected = (n: number) => (benchCase.table === 'disabled' ? 0 : n);

serveCase({
  async run(n) {
    const before = sink.lines;
    await loop(n);
    const written = sink.lines - before;
    if (written !== expected(n)) throw new Error(`${written} lines reached the sink, expected ${expected(n)}`);
  },
  report: () => ({ bytesPerLine: sink.lines === 0 ? 0 : sink.bytes / sink.lines }),
});
