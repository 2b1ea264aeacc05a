// What to complete at the cursor of a PromQL expression: a metric (or function), a label name or a label value.

/** Where the cursor is, and the text before it that a completion replaces (from `from` to the cursor). */
export type CompletionContext =
  | { kind: 'metric'; prefix: string; from: number }
  | { kind: 'labelName'; metric: string | undefined; prefix: string; from: number }
  | { kind: 'labelValue'; metric: string | undefined; label: string; prefix: string; from: number };

/** Functions and aggregations offered next to metric names. */
export const PROMQL_FUNCTIONS = [
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'histogram_quantile',
  'abs',
  'absent',
  'absent_over_time',
  'ceil',
  'floor',
  'round',
  'clamp',
  'clamp_min',
  'clamp_max',
  'changes',
  'resets',
  'label_replace',
  'label_join',
  'scalar',
  'vector',
  'sort',
  'sort_desc',
  'time',
  'timestamp',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'quantile_over_time',
  'stddev_over_time',
];

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)$/;

/** The completion context at `cursor` in `text`, or undefined where nothing is completed (numbers, durations). */
export function completionContext(text: string, cursor: number): CompletionContext | undefined {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf('{');
  if (open > before.lastIndexOf('}')) {
    const inside = before.slice(open + 1);
    const metric = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(before.slice(0, open))?.[1];
    const value = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(inside);
    if (value !== null && unclosedString(inside)) {
      const prefix = value[2]!;
      return { kind: 'labelValue', metric, label: value[1]!, prefix, from: cursor - prefix.length };
    }
    if (unclosedString(inside)) return undefined;
    const name = /(?:^|,)\s*([a-zA-Z_][a-zA-Z0-9_]*)?$/.exec(inside);
    if (name === null) return undefined;
    const prefix = name[1] ?? '';
    return { kind: 'labelName', metric, prefix, from: cursor - prefix.length };
  }
  const grouping = GROUPING.exec(before);
  if (grouping !== null) {
    const prefix = /([a-zA-Z_][a-zA-Z0-9_]*)?$/.exec(grouping[1]!)?.[1] ?? '';
    return { kind: 'labelName', metric: undefined, prefix, from: cursor - prefix.length };
  }
  if (before.lastIndexOf('[') > before.lastIndexOf(']')) return undefined;
  const word = /[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(before);
  if (word === null) return undefined;
  return { kind: 'metric', prefix: word[0], from: cursor - word[0].length };
}

function unclosedString(text: string): boolean {
  let open = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') open = !open;
  }
  return open;
}

/** Candidates matching `prefix`: those that start with it first, then those that contain it; at most `limit`. */
export function rank(candidates: readonly string[], prefix: string, limit = 50): string[] {
  const lower = prefix.toLowerCase();
  const starts: string[] = [];
  const contains: string[] = [];
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === lower) continue;
    if (c.startsWith(lower)) starts.push(candidate);
    else if (lower !== '' && c.includes(lower)) contains.push(candidate);
    if (starts.length >= limit) break;
  }
  return [...starts, ...contains].slice(0, limit);
}

/** The text inserted for a chosen label value: escaped, and the closing quote when it is not there yet. */
export function labelValueInsert(value: string, after: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return after.startsWith('"') ? escaped : `${escaped}"`;
}
