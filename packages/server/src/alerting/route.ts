// The route tree: which receivers an alert goes to, and how it is grouped there (Alertmanager's semantics:
// depth first, the first matching child wins unless it has `continue`, no matching child means the node itself).

import type { RouteConfig } from '../config/types.js';
import { compileMatchers } from './matchers.js';

/** One node of the route tree, ready to match. */
export class RouteNode {
  readonly config: RouteConfig;
  /** A stable id: the path of child indexes from the root (`/0/2`). */
  readonly id: string;
  readonly children: RouteNode[];
  readonly #test: (labels: Readonly<Record<string, string>>) => boolean;

  constructor(config: RouteConfig, id = '') {
    this.config = config;
    this.id = id || '/';
    this.#test = compileMatchers(config.matchers);
    this.children = config.routes.map((child, i) => new RouteNode(child, `${id}/${i}`));
  }

  /** The nodes `labels` ends at. */
  match(labels: Readonly<Record<string, string>>): RouteNode[] {
    if (!this.#test(labels)) return [];
    const all: RouteNode[] = [];
    for (const child of this.children) {
      const found = child.match(labels);
      all.push(...found);
      if (found.length > 0 && !child.config.continue) break;
    }
    return all.length > 0 ? all : [this];
  }

  /** The labels an alert is grouped by at this node. */
  groupLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
    const groupBy = this.config.groupBy;
    if (groupBy === 'all') return { ...labels };
    const out: Record<string, string> = {};
    for (const name of groupBy) if (labels[name] !== undefined) out[name] = labels[name]!;
    return out;
  }
}
