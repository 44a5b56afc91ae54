import { Link, Outlet } from '@tanstack/react-router';
import { displayName } from '../api.ts';
import { useLiveUpdates, type LiveState } from '../live.ts';
import { useMe, useSignOut } from '../session.ts';
import { SignIn } from '../pages/SignIn.tsx';
import { Palette } from './Palette.tsx';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

function LiveDot({ state }: { state: LiveState }) {
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" data-testid="live">
      <span className="dot" aria-hidden="true" />
      {LIVE_TEXT[state]}
    </span>
  );
}

/** The frame of every page: top bar, and the sign-in form instead of the page while signed out. */
export function Shell() {
  const me = useMe();
  const signOut = useSignOut();
  const live = useLiveUpdates(Boolean(me.data));
  if (me.isPending) return <p className="page">Loading…</p>;
  if (me.isError) return <p className="page error" role="alert">Cannot reach the server: {me.error.message}</p>;
  if (!me.data) return <SignIn />;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/incidents" className="brand">
          Muster
        </Link>
        <nav aria-label="Main">
          <Link to="/incidents" activeOptions={{ includeSearch: false }}>
            Incidents
          </Link>
          <Link to="/playbooks">Playbooks</Link>
          <Link to="/settings">Settings</Link>
          <Link to="/incidents/new" search={{}} className="button primary small">
            Declare
          </Link>
        </nav>
        <div className="topbar-end">
          <LiveDot state={live} />
          <ThemeToggle />
          <span className="who" title={me.data.username}>
            {displayName(me.data)}
          </span>
          <button type="button" className="small" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <div id="main">
        <Outlet />
      </div>
      <ShortcutHelp />
      <Palette />
    </>
  );
}
