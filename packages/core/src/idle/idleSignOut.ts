import { AuthUsageError } from '../session/errors.js';
import type { IdleMessage } from '../session/channel.js';
import type { PluginContext, PluginHooks, TokenlanePlugin } from '../session/plugin.js';
import { IDLE_EVENTS, listenForActivity } from './domActivity.js';
import { holdTimerLock, MAX_WAIT_MS } from './timerLock.js';

/** Options of `idleSignOut`. */
export interface IdleOptions {
  /** Sign out after this long without activity in any tab, ms. */
  timeoutMs: number;
  /** Warn this long before (`idle-warning`, `getState().warning`), ms; less than `timeoutMs`. */
  warnBeforeMs: number;
  /** The DOM events that count as activity. @default IDLE_EVENTS */
  events?: readonly string[];
  /** Where to listen for them (captured, passive). @default `document` */
  target?: EventTarget;
}

/** Where idle sign-out stands in this tab. */
export interface IdleState {
  /** When the session ends if nobody is active (epoch ms); `null` while signed out. */
  endsAt: number | null;
  /** Whether the warning is on: only `staySignedIn()` keeps the session then. */
  warning: boolean;
}

/** The `idle-warning` event's payload. */
export interface IdleWarning {
  /** When the session ends unless the user stays signed in (epoch ms). */
  endsAt: number;
  /** How long until then, ms. */
  msLeft: number;
}

/** Idle sign-out for a client (a plug-in: `plugins: [idle]`), and what the app's warning UI works with. */
export interface IdleSignOut extends TokenlanePlugin {
  readonly name: 'idle';
  /** Starts counting activity for the client's session; its `dispose` stops it. */
  setup: (context: IdleContext) => PluginHooks;
  /** The state snapshot (stable between changes, for `useSyncExternalStore`). */
  getState: () => IdleState;
  /** Calls `listener` when the state changes; returns an unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
  /** Calls `listener` in every tab when the warning begins; returns an unsubscribe function. */
  on: (event: 'idle-warning', listener: (warning: IdleWarning) => void) => () => void;
  /** How long until `endsAt`, ms (never below 0); `null` while signed out. */
  msLeft: () => number | null;
  /** The user chose to stay: the warning ends and the timeout starts over, in every tab. */
  staySignedIn: () => void;
}

/** What idle sign-out needs of the client: the session, its clock, the tabs' channel and lock. */
export type IdleContext = Pick<PluginContext, 'session' | 'runtime' | 'channel' | 'lock' | 'end'>;

/**
 * Idle sign-out: after `timeoutMs` without activity (the DOM `events`, in any tab of the browser)
 * the session is signed out everywhere, at the server too, with reason `idle`; `warnBeforeMs`
 * before that, every tab is warned (`idle-warning`, `getState().warning`), and from then on only
 * `staySignedIn()` keeps the session. Activity is counted at most once a second per tab and told
 * to the other tabs through the client's channel; one tab of the browser (the holder of a lock,
 * the next one when it closes) keeps the only timer. Pass it in the client's `plugins`.
 */
export function idleSignOut(options: IdleOptions): IdleSignOut {
  const { timeoutMs, warnBeforeMs } = options;
  if (!(timeoutMs > 0 && warnBeforeMs >= 0 && warnBeforeMs < timeoutMs)) {
    throw new AuthUsageError(
      'invalid_option',
      `idleSignOut: timeoutMs must be > 0 and warnBeforeMs in [0, timeoutMs) (got ${timeoutMs} and ${warnBeforeMs})`,
    );
  }
  let state: IdleState = { endsAt: null, warning: false };
  const listeners = new Set<() => void>();
  const warned = new Set<(warning: IdleWarning) => void>();
  let attached: IdleContext | undefined;
  let stay = () => {};
  const setState = (next: IdleState) => {
    if (next.endsAt === state.endsAt && next.warning === state.warning) return;
    state = next;
    listeners.forEach((listener) => listener());
  };

  const binding: IdleSignOut = {
    name: 'idle',
    setup(context) {
      if (attached) {
        throw new AuthUsageError(
          'idle_already_attached',
          'idleSignOut: this one is attached to a client already',
        );
      }
      attached = context;
      const { runtime, channel, session } = context;
      /** The latest activity of any tab (or the sign-in), epoch ms. */
      let lastActive = runtime.now();
      let keepsTimer = false;
      let timer: unknown;
      const signedIn = () => session.getState().status === 'authenticated';
      const show = (warning: boolean) =>
        setState(
          signedIn()
            ? { endsAt: lastActive + timeoutMs, warning }
            : { endsAt: null, warning: false },
        );
      const warn = (endsAt: number) => {
        if (state.warning && state.endsAt === endsAt) return;
        show(true);
        warned.forEach((listener) => listener({ endsAt, msLeft: endsAt - runtime.now() }));
      };

      /** The timer's tab: warns at the warning time, signs out at the end. */
      const check = () => {
        if (timer !== undefined) runtime.clearTimeout(timer);
        timer = undefined;
        if (!keepsTimer || !signedIn()) return;
        const endsAt = lastActive + timeoutMs;
        const now = runtime.now();
        if (now >= endsAt) return void context.end('idle');
        if (now >= endsAt - warnBeforeMs && !state.warning) {
          warn(endsAt);
          channel?.post({ type: 'idle-warning', endsAt });
        }
        const next = state.warning ? endsAt : endsAt - warnBeforeMs;
        timer = runtime.setTimeout(check, Math.min(next - now, MAX_WAIT_MS));
      };

      /**
       * Activity at `at` (here or in another tab) counts if it came before the end, and, once
       * the warning is on, before the warning's time unless it is a `stay`: every tab applies
       * the same rule to the same messages, so they agree whatever order those arrive in.
       */
      const active = (at: number, isStay = false) => {
        const end = lastActive + timeoutMs - (state.warning && !isStay ? warnBeforeMs : 0);
        if (!signedIn() || at <= lastActive || at >= end) return false;
        lastActive = at;
        show(false);
        check();
        return true;
      };
      const tell = (isStay: boolean) => {
        const at = runtime.now();
        if (active(at, isStay))
          channel?.post({ type: 'activity', at, ...(isStay && { stay: true }) });
      };
      stay = () => tell(true);

      const target = options.target ?? (typeof document === 'undefined' ? undefined : document);
      const stopListening = listenForActivity(runtime, target, options.events ?? IDLE_EVENTS, () =>
        tell(false),
      );

      const unsubscribeChannel = channel?.subscribe((message) => {
        const idle = message as IdleMessage;
        if (idle.type === 'activity') {
          // The timer's tab tells a tab whose activity came too late (one just opened, say)
          // that the warning is on.
          if (!active(idle.at, idle.stay) && keepsTimer && state.warning) {
            channel?.post({ type: 'idle-warning', endsAt: state.endsAt as number });
          }
        } else if (idle.type === 'idle-warning' && signedIn()) {
          // A tab whose own activity came before the warning's time ignores it: the timer's tab
          // counts that activity too when it arrives, and takes the warning back.
          const mine =
            lastActive + timeoutMs > idle.endsAt && lastActive < idle.endsAt - warnBeforeMs;
          if (mine) return;
          lastActive = idle.endsAt - timeoutMs;
          warn(idle.endsAt);
        }
      });

      let wasSignedIn = signedIn();
      const unsubscribeSession = session.subscribe(() => {
        if (signedIn() === wasSignedIn) return;
        wasSignedIn = signedIn();
        // A sign-in (or a tab opened signed in) counts as activity; a sign-out ends the warning.
        lastActive = runtime.now();
        show(false);
        check();
        if (wasSignedIn) channel?.post({ type: 'activity', at: lastActive });
      });

      const releaseTimer = holdTimerLock(context.lock, () => {
        keepsTimer = true;
        check();
      });
      show(false);

      return {
        dispose() {
          keepsTimer = false;
          check();
          releaseTimer();
          stopListening();
          unsubscribeChannel?.();
          unsubscribeSession();
          stay = () => {};
        },
      };
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    on(_event, listener) {
      warned.add(listener);
      return () => warned.delete(listener);
    },
    msLeft: () =>
      state.endsAt === null || !attached
        ? null
        : Math.max(0, state.endsAt - attached.runtime.now()),
    staySignedIn: () => stay(),
  };
  return binding;
}
