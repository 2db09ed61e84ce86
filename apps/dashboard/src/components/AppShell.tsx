'use client';
// The frame around every page: header, navigation, who is signed in; sends a visitor without a session to /signin.
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useApp } from './AppProvider';
import { LiveBadge } from './LiveBadge';
import { Nav } from './Nav';

export function AppShell({ children }: { children: ReactNode }) {
  const { session, signOut, configError } = useApp();
  const pathname = usePathname();
  const router = useRouter();
  const onSignIn = pathname === '/signin';

  useEffect(() => {
    if (session === null && !onSignIn) router.replace(`/signin?next=${encodeURIComponent(pathname)}`);
  }, [session, onSignIn, pathname, router]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">zk-coordinator</span>
        {session ? <Nav /> : null}
        {session ? (
          <div className="who">
            <LiveBadge />
            <span>
              {session.user.username} <span className="badge">{session.user.role}</span>
            </span>
            <button type="button" className="link-button" onClick={signOut}>
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <main id="main" className="main">
        {configError ? <p role="alert" className="notice notice-error">{configError}</p> : null}
        {onSignIn || session ? children : <p aria-live="polite">Loading…</p>}
      </main>
    </>
  );
}
