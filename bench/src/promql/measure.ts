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

/**
 * Measures `query` on both servers: `rounds` timed requests each after `warmups` untimed ones (the first answers
 * are the ones compared). More than one warm-up lets V8 optimize the code a query runs, as it is on a server
 * that has been answering a dashboard's refreshes; Prometheus's Go code needs none.
 */
export async function measureQuery(
  vigilUrl: string,
  prometheusUrl: string,
  query: RangeQuery,
  rounds: number,
  ranked = false,
  warmups = 1,
): Promise<QueryTiming> {
  const ours = await queryRange(vigilUrl, query);
  const theirs = await queryRange(prometheusUrl, query);
  for (let i = 1; i < warmups; i++) {
    await queryRange(vigilUrl, query);
    await queryRange(prometheusUrl, query);
  }
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
