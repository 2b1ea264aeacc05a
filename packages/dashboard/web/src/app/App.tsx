// The app: sign-in first, then the shell with the views; a 401 from any call returns to the sign-in.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from '../api/client.js';
import { type LiveFeed, pausedFeed, pollingFeed } from '../live/feed.js';
import { streamFeed } from '../live/stream-feed.js';
import { type DataContext, DataContextValue } from '../live/use-live-data.js';
import { Login } from './Login.js';
import { Shell } from './Shell.js';
import { checkToken, clearToken, storedToken, storeToken } from './session.js';

type Session = { state: 'checking' } | { state: 'signed-out'; notice?: string } | { state: 'signed-in'; token: string };

const REFRESH_MS = 5_000;

/** The whole dashboard. */
export function App() {
  const [session, setSession] = useState<Session>(() => {
    const token = storedToken();
    return token === undefined ? { state: 'checking' } : { state: 'signed-in', token };
  });

  // Without a stored token, the API may be open (no VIGIL_ADMIN_TOKEN): then there is nothing to ask.
  useEffect(() => {
    if (session.state !== 'checking') return;
    checkToken('').then(
      (check) => setSession(check === 'accepted' ? { state: 'signed-in', token: '' } : { state: 'signed-out' }),
      () => setSession({ state: 'signed-out' }),
    );
  }, [session.state]);

  const signIn = useCallback((token: string) => {
    storeToken(token);
    setSession({ state: 'signed-in', token });
  }, []);
  const signOut = useCallback((notice?: string) => {
    clearToken();
    setSession({ state: 'signed-out', notice });
  }, []);

  if (session.state === 'checking') return <div className="boot">Connecting…</div>;
  if (session.state === 'signed-out') return <Login onSignedIn={signIn} notice={session.notice} />;
  return <SignedIn token={session.token} onSignOut={signOut} />;
}

function SignedIn({ token, onSignOut }: { token: string; onSignOut: (notice?: string) => void }) {
  const [live, setLive] = useState(true);
  const onUnauthorized = useCallback(
    () => onSignOut('The service no longer accepts the token (401): sign in again.'),
    [onSignOut],
  );
  // Pushed by the service when it has the event stream, polled otherwise.
  const feed = useMemo<LiveFeed>(
    () => streamFeed({ token, fallback: pollingFeed(REFRESH_MS), onUnauthorized }),
    [token, onUnauthorized],
  );
  const context = useMemo<DataContext>(
    () => ({ client: createApiClient({ token, onUnauthorized }), feed: live ? feed : pausedFeed }),
    [token, onUnauthorized, feed, live],
  );
  return (
    <DataContextValue.Provider value={context}>
      <Shell
        live={live}
        onLiveChange={setLive}
        onSignOut={token === '' ? undefined : () => onSignOut()}
        refreshSeconds={REFRESH_MS / 1000}
      />
    </DataContextValue.Provider>
  );
}
