// The admin token lives in sessionStorage: gone when the tab closes, never in the URL or localStorage.
import { ApiError, createApiClient } from '../api/client.js';

const TOKEN_KEY = 'vigil.adminToken';

/** The stored token, or undefined when the user has not signed in in this tab. */
export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Keeps `token` for this tab. */
export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token. */
export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** What the service said about a token. */
export type TokenCheck = 'accepted' | 'rejected';

/** Asks the service whether `token` opens its API ('' checks whether the API is open without one). */
export async function checkToken(token: string): Promise<TokenCheck> {
  const client = createApiClient({ token });
  try {
    await client.getJson('/api/v1/status/buildinfo');
    return 'accepted';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'rejected';
    // Any other answer (no buildinfo route, a 5xx) is not about the token: the views will show it.
    if (error instanceof ApiError) return 'accepted';
    throw error;
  }
}
