import { AuthUsageError, type Session } from '@tokenlane/core';
import {
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { OtelTracing } from '@tokenlane/core/otel';
import type { StepUp } from '@tokenlane/core/step-up';
import { AuthContext } from '../react/AuthContext.js';
import { createDevtoolsLog, type DevtoolsLog, type DevtoolsLogOptions } from './devtoolsLog.js';
import { Panel } from './DevtoolsPanel.js';
import { COLORS, styles } from './styles.js';

/** Props of `<TokenlaneDevtools>`. */
export interface TokenlaneDevtoolsProps {
  /** The client to watch. @default the nearest `<AuthProvider>`'s */
  client?: Session<unknown, never>;
  /** Start with the panel open. @default false */
  initialOpen?: boolean;
  /** Which corner the button sits in. @default 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left';
  /** The client's step-up (`stepUp()` from `./step-up`), to show what it waits for. @default not shown */
  stepUp?: StepUp;
  /** The client's tracing (`otelTracing()` from `./otel`), to show each refresh's trace id. @default not shown */
  trace?: OtelTracing;
  /** Injected clock and network observer (tests). */
  log?: DevtoolsLogOptions;
}

/**
 * A floating panel that shows what the session does: status, user, the access token's remaining
 * lifetime, whether it is bound to a DPoP key, what a step-up waits for (`stepUp`), the last refreshes (reason, duration, outcome), the messages other tabs sent, and the
 * page's requests by status; with buttons that expire the token now and force a refresh. Closed
 * by default; keyboard accessible (Escape closes it). Import it from
 * `@tokenlane/react-auth/devtools`, in development builds: it is not part of the root entry.
 */
export function TokenlaneDevtools(props: TokenlaneDevtoolsProps): ReactNode {
  const context = useContext(AuthContext);
  const client = props.client ?? context?.client;
  if (!client) {
    throw new AuthUsageError(
      'no_auth_provider',
      'TokenlaneDevtools: pass `client`, or render it inside <AuthProvider>',
    );
  }
  const [open, setOpen] = useState(props.initialOpen ?? false);
  const [log, setLog] = useState<DevtoolsLog | null>(null);
  const logOptions = useRef({ ...props.log, trace: props.trace });
  useEffect(() => {
    const created = createDevtoolsLog(client, logOptions.current);
    setLog(created);
    return () => created.dispose();
  }, [client]);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const panelId = useId();
  const titleId = `${panelId}-title`;

  const state = useSyncExternalStore(client.subscribe, client.getState, client.getState);

  const show = (next: boolean) => {
    setOpen(next);
    if (!next) toggle.current?.focus();
  };
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      show(false);
    }
  };

  const corner: CSSProperties =
    props.position === 'bottom-left' ? { left: 12, bottom: 12 } : { right: 12, bottom: 12 };
  return (
    <div style={{ ...styles.root, ...corner }} data-testid="tokenlane-devtools">
      {open && log ? (
        <section
          id={panelId}
          ref={panel}
          role="dialog"
          aria-labelledby={titleId}
          tabIndex={-1}
          onKeyDown={onKeyDown}
          style={styles.panel}
          data-testid="tokenlane-devtools-panel"
        >
          <Panel client={client} state={state} log={log} titleId={titleId} stepUp={props.stepUp} />
        </section>
      ) : null}
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => show(!open)}
        style={styles.toggle}
        data-testid="tokenlane-devtools-toggle"
      >
        <span aria-hidden="true" style={{ ...styles.dot, background: COLORS[state.status] }} />
        Tokenlane devtools
      </button>
    </div>
  );
}
