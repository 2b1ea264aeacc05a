// The process of one scrape case (its id is the first argument), driven by ../scrape.ts.
import { serveCase } from '../harness/case-process.js';
import { buildWorkload, SCRAPE_CASES } from './scrape-cases.js';

const id = process.argv[2];
const scrapeCase = SCRAPE_CASES.find((c) => c.id === id);
if (scrapeCase === undefined) throw new Error(`no scrape case "${id}"`);

const workload = buildWorkload();
const runner = scrapeCase.make(workload);
let next = 0;

serveCase({
  async run(n) {
    let total = 0;
    for (let i = 0; i < n; i++) total += await runner.scrape(next++);
    runner.end();
    if (total !== n * workload.samplesPerScrape) {
      throw new Error(`${total} samples stored, expected ${n * workload.samplesPerScrape}`);
    }
  },
  report: () => ({ samplesPerScrape: workload.samplesPerScrape }),
});
