// The process of one ingest case (its id is the first argument), driven by ../tsdb-ingest.ts.
import { serveCase } from '../harness/case-process.js';
import { buildWorkload, INGEST_CASES } from './ingest-cases.js';

const id = process.argv[2];
const ingestCase = INGEST_CASES.find((c) => c.id === id);
if (ingestCase === undefined) throw new Error(`no ingest case "${id}"`);

const workload = buildWorkload();
const runner = ingestCase.make(workload);
let next = 0;
let samples = 0;

serveCase({
  run(n) {
    let total = 0;
    for (let i = 0; i < n; i++) total += runner.scrape(next++);
    runner.end();
    if (total !== n * workload.samplesPerScrape)
      throw new Error(`${total} samples stored, expected ${n * workload.samplesPerScrape}`);
    samples = total;
  },
  report: () => ({ samplesPerScrape: workload.samplesPerScrape, samples }),
});
