// Warnings and infos a query collects (the Prometheus API's `warnings` and `infos`), each ending with where in the
// expression it comes from, as Prometheus writes them: "PromQL warning: ... (1:25)".
import { lineColumn } from '../errors.js';
import type { Span } from '../parse/ast.js';

/** The annotations of one query. */
export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();

  /** `text` is the expression, to turn node offsets into line:column ('' when the query came as a tree). */
  constructor(private readonly text: string) {}

  /** Adds a warning about the node at `at`. */
  warn(message: string, at: Span): void {
    this.warnings.add(`PromQL warning: ${message}${this.where(at)}`);
  }

  /** Adds an info about the node at `at`. */
  info(message: string, at: Span): void {
    this.infos.add(`PromQL info: ${message}${this.where(at)}`);
  }

  private where(at: Span): string {
    if (this.text === '') return '';
    const { line, column } = lineColumn(this.text, at.start);
    return ` (${line}:${column})`;
  }
}

/** A float as Go's %g writes it in these messages. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}
