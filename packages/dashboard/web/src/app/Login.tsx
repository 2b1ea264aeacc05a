// Sign-in with the service's admin token.
import { type FormEvent, useState } from 'react';
import { checkToken } from './session.js';

/** The login form; calls `onSignedIn` with a token the service accepted. */
export function Login({ onSignedIn, notice }: { onSignedIn: (token: string) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const check = await checkToken(token.trim());
      if (check === 'accepted') onSignedIn(token.trim());
      else setError('The service rejected this token.');
    } catch (failure) {
      setError(`Could not reach the service: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-box" onSubmit={submit}>
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Vigil
        </h1>
        <p>Sign in with the service's admin token (VIGIL_ADMIN_TOKEN).</p>
        {notice !== undefined && <p className="login-notice">{notice}</p>}
        <label>
          Admin token
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the only field of the page
            autoFocus
          />
        </label>
        {error !== undefined && (
          <p className="login-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
