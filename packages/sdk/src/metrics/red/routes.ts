import { VigilError } from '../../errors.js';

/** Finds the template a path belongs to, or undefined. */
export type RouteMatcher = (path: string) => string | undefined;

interface Template {
  route: string;
  segments: readonly string[];
  /** Ends in `*`: matches any rest of the path (one segment or more). */
  rest: boolean;
}

/**
 * Compiles route templates for a router-less node:http app: `/items/:id` matches
 * `/items/42`, `/files/*` matches `/files/a/b`, a template without `:` or `*` matches only
 * itself. As in routers, a static template wins; otherwise the first matching one, in order.
 */
export function routeMatcher(templates: readonly string[]): RouteMatcher {
  const statics = new Set<string>();
  const patterns: Template[] = [];
  for (const route of templates) {
    if (typeof route !== 'string' || !route.startsWith('/')) {
      throw new VigilError('VIGIL_BAD_OPTION', `httpMetrics: route template "${route}" must start with "/"`);
    }
    const segments = route.split('/');
    const rest = segments.at(-1) === '*';
    if (rest) segments.pop();
    if (rest || segments.some((segment) => segment.startsWith(':'))) patterns.push({ route, segments, rest });
    else statics.add(route);
  }
  return (path) => {
    if (statics.has(path)) return path;
    if (patterns.length === 0) return undefined;
    const parts = path.split('/');
    for (const pattern of patterns) if (matches(pattern, parts)) return pattern.route;
    return undefined;
  };
}

function matches(pattern: Template, parts: readonly string[]): boolean {
  const { segments, rest } = pattern;
  if (rest ? parts.length <= segments.length : parts.length !== segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(':') ? part === '' : segment !== part) return false;
  }
  return true;
}
