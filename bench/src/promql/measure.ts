// Timing one query on both servers: a warm-up answer from each (the ones compared), then rounds
// that alternate which server goes first, so a noisy neighbour slows both alike.
import { type Agreement, compareAnswers, compareRankedAnswers } from './agreement.js';
import { queryRange, type RangeQuery } from './query-client.js';

/** One query's timings on both servers and whether their answers agreed. */
export interface QueryTiming {
  vigilMs: number[];
  prometheusMs: number[];
  /** Vigil's time over Prometheus's, one per round. */
  ratios: number[];
  agreement: Agreement;
  /** Bytes of Vigil's and Prometheus's answers. */
  vigilBytes: number;
  prometheusBytes: number;
}

/** Measures `query` on both servers: `rounds` timed requests each after one warm-up. */
export async function measureQuery(
  vigilUrl: string,
  prometheusUrl: string,
  query: RangeQuery,
  rounds: number,
  ranked = false,
): Promise<QueryTiming> {
  const ours = await queryRange(vigilUrl, query);
  const theirs = await queryRange(prometheusUrl, query);
  const agreement = (ranked ? compareRankedAnswers : compareAnswers)(ours.body, theirs.body);
  const timing: QueryTiming = {
    vigilMs: [],
    prometheusMs: [],
    ratios: [],
    agreement,
    vigilBytes: ours.body.length,
    prometheusBytes: theirs.body.length,
  };
  for (let round = 0; round < rounds; round++) {
    let vigil: number;
    let prometheus: number;
    if (round % 2 === 0) {
      vigil = (await queryRange(vigilUrl, query)).ms;
      prometheus = (await queryRange(prometheusUrl, query)).ms;
    } else {
      prometheus = (await queryRange(prometheusUrl, query)).ms;
      vigil = (await queryRange(vigilUrl, query)).ms;
    }
    timing.vigilMs.push(vigil);
    timing.prometheusMs.push(prometheus);
    timing.ratios.push(vigil / prometheus);
  }
  return timing;
}
