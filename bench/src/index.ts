// Benchmarks arrive in bench/src (see bench/README.md).
export {};
