import { AuthGate, useAuth } from '@tokenlane/react-auth';
import { useState } from 'react';
import { AdminPanel } from './AdminPanel.js';
import { BurstPanel } from './BurstPanel.js';
import { dpopOf, transportOf } from './demoApi.js';
import type { EventLog } from './eventLog.js';
import { LoginForm } from './LoginForm.js';
import { SessionPanel } from './SessionPanel.js';
import { IdleDialog } from './IdleDialog.js';
import { StepUpDialog } from './StepUpDialog.js';
import { SessionEndBanner } from './SessionEndBanner.js';
import { Todos } from './Todos.js';

export function App({ log }: { log: EventLog }) {
  // Someone else signs in on this computer: the form, over the signed-in dashboard.
  const [switching, setSwitching] = useState(false);
  return (
    <div className="shell">
      <Header onSwitchUser={() => setSwitching(true)} />
      <main>
        <AuthGate
          loading={
            <p className="restoring" role="status">
              Restoring your session…
            </p>
          }
          unreachable={
            <p className="restoring" role="status" data-testid="unreachable">
              Can’t reach the server right now. Your session is safe: this page retries by itself.
            </p>
          }
          fallback={<LoginForm />}
        >
          {switching ? <LoginForm title="Switch user" onDone={() => setSwitching(false)} /> : null}
          <StepUpDialog />
          <IdleDialog />
          <SessionEndBanner />
          {/* The page's one top-level heading (each card below has its own h2). */}
          <h1 className="visually-hidden">Your dashboard</h1>
          <div className="dashboard">
            <Todos />
            <div className="side">
              <SessionPanel log={log} />
              <BurstPanel />
              <AdminPanel />
            </div>
          </div>
        </AuthGate>
      </main>
      <footer>
        Tokenlane: the access token lives in memory, the refresh token in an HttpOnly cookie.
      </footer>
    </div>
  );
}

function Header({ onSwitchUser }: { onSwitchUser: () => void }) {
  const { user, isAuthenticated, logout } = useAuth();
  return (
    <header className="topbar">
      <span className="brand">
        <span className="logo" aria-hidden="true">
          T
        </span>
        Tokenlane <small>demo</small>
      </span>
      <TransportSwitch />
      <DpopSwitch />
      {isAuthenticated ? (
        <span className="who">
          <span data-testid="user-email">{user?.email}</span>
          <button type="button" className="ghost" data-testid="switch-user" onClick={onSwitchUser}>
            Switch user
          </button>
          <button
            type="button"
            className="ghost"
            data-testid="logout-button"
            onClick={() => void logout()}
          >
            Log out
          </button>
        </span>
      ) : null}
    </header>
  );
}

/** The page's query with `name` set to `value` (or removed with `null`). */
const withParam = (name: string, value: string | null) => {
  const query = new URLSearchParams(location.search);
  if (value === null) query.delete(name);
  else query.set(name, value);
  return `?${query}`;
};

/** Reloads the page on the other transport: the same screens over client.axios or client.fetch. */
function TransportSwitch() {
  const current = transportOf(location.search);
  return (
    <nav className="switch" aria-label="Transport" data-testid="transport-switch">
      {(['axios', 'fetch'] as const).map((transport) => (
        <a
          key={transport}
          href={withParam('transport', transport === 'axios' ? null : 'fetch')}
          aria-current={transport === current ? 'page' : undefined}
        >
          {transport}
        </a>
      ))}
    </nav>
  );
}

/**
 * Reloads the page with its tokens bound to a DPoP key, or not. A new page signs in again: the
 * refresh cookie of a bound session works only with the key, that of an unbound one only without.
 */
function DpopSwitch() {
  const on = dpopOf(location.search);
  return (
    <nav className="switch" aria-label="DPoP" data-testid="dpop-switch">
      <a href={withParam('dpop', null)} aria-current={on ? undefined : 'page'}>
        bearer
      </a>
      <a href={withParam('dpop', 'on')} aria-current={on ? 'page' : undefined}>
        DPoP
      </a>
    </nav>
  );
}
