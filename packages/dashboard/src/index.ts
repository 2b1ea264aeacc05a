// The Node side of the dashboard: where the built files are and how to answer requests for them.
import { fileURLToPath } from 'node:url';
import { DashboardFiles, type DashboardResponse } from './static-files.js';

export { CONTENT_SECURITY_POLICY, DashboardFiles, type DashboardResponse } from './static-files.js';

/** Absolute path of the built dashboard (`packages/dashboard/dist/public`), made by `npm run build`. */
export const dashboardRoot: string = fileURLToPath(new URL('../public', import.meta.url));

const files = new DashboardFiles(dashboardRoot);

/**
 * Answers a GET (or HEAD) of `path` for the dashboard: a built file, `index.html` for the app's routes
 * (any path without a file extension), a 503 text when the dashboard is not built, or `undefined` for
 * `/api/...` paths and unknown files (the caller's 404). `path` may carry a query string. Pass the
 * request's Accept-Encoding to get text files gzipped (compressed once, then kept in memory).
 */
export function serveDashboard(path: string, acceptEncoding?: string): DashboardResponse | undefined {
  return files.serve(path, acceptEncoding);
}
