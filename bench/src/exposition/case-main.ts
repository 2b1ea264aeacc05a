// The process of one parse case (its id is the first argument), driven by ../exposition-parse.ts.
import { readFileSync } from 'node:fs';
import { serveCase } from '../harness/case-process.js';
import { PARSE_CASES } from './cases.js';
import { EXPOSITION_SERIES } from './config.js';
import { generateExposition } from './input.js';

const id = process.argv[2];
const parseCase = PARSE_CASES.find((c) => c.id === id);
if (parseCase === undefined) throw new Error(`no parse case "${id}"`);

// The workload the parent chose: a captured exposition in a file, or the generated one.
const file = process.env.BENCH_EXPOSITION_FILE;
const text = file ? readFileSync(file, 'utf8') : generateExposition(EXPOSITION_SERIES);
let samples = 0;

serveCase({
  run(n) {
    for (let i = 0; i < n; i++) samples = parseCase.parse(text);
  },
  report: () => ({ samples, bytes: Buffer.byteLength(text) }),
});
