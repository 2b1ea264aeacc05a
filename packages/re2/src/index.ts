// @vigil/re2: the RE2 translation shared by the TSDB's matchers, PromQL and relabeling (being moved here).
export {};
