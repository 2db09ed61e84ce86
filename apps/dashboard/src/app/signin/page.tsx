'use client';
// Sign-in: username and password against POST /api/v1/auth/login on any coordinator, then back to where the visitor was going.
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../../components/AppProvider';
import { describeError } from '../../lib/api-client';
import { safeNextPath } from '../../lib/session';

function SignInForm() {
  const { signIn, session, config } = useApp();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (session) router.replace(next);
  }, [session, next, router]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (failure) {
      setError(describeError(failure).replace(/^401: /, 'Sign-in failed: '));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel signin" aria-labelledby="signin-title" style={{ maxWidth: 420, margin: '2rem auto' }}>
      <h1 id="signin-title">Sign in</h1>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="username">Username</label>
          <input id="username" name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </div>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !config}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small">
        The first admin is <code>admin</code>, with the password from <code>COORDINATOR_ADMIN_PASSWORD</code> or the file <code>initial-admin-password</code> in a
        coordinator&apos;s data folder.
      </p>
      {config ? (
        <p className="muted small">
          Coordinators: {config.coordinators.join(', ')} ({config.mode === 'proxy' ? 'through this dashboard' : 'called directly'})
        </p>
      ) : null}
    </section>
  );
}

export default function SignInPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <SignInForm />
    </Suspense>
  );
}
