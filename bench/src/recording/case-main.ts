// The process of one llm.record case (its id is the first argument), driven by ../recording.ts.
import { serveCase } from '../harness/case-process.js';
import { CountingSink, RECORD_CASES } from './record-cases.js';

const id = process.argv[2];
const benchCase = RECORD_CASES.find((c) => c.id === id);
if (benchCase === undefined) throw new Error(`no recording case "${id}"`);

const sink = new CountingSink();
const loop = benchCase.setup(sink);

serveCase({
  run(n) {
    const before = sink.lines;
    loop(n);
    const written = sink.lines - before;
    const expected = n * benchCase.linesPerCall;
    if (written !== expected) throw new Error(`${written} lines reached the sink, expected ${expected}`);
  },
});
