/** Series in the generated exposition: a large target (a few MB), as a busy service serves. */
export const EXPOSITION_SERIES = Number(process.env.BENCH_EXPOSITION_SERIES) || 10_000;
