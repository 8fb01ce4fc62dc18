import type { RefreshFault } from './simNetwork.js';
import type { ReusePolicy, Revocation, ServerLog } from './simServer.js';
import type { SignOut, SimRequests, SimTab } from './simTab.js';

/** What `createSessionSimulator` builds. */
export interface SimulatorOptions {
  /** Tabs of one browser, sharing its cookies, lock and channel. @default 2 */
  tabs?: number;
  /** Where the server hands the refresh token. @default 'cookie' */
  refreshTokenIn?: 'cookie' | 'body';
  /** What the server does with a rotated refresh token presented again. @default 'strict' */
  reuse?: ReusePolicy;
  /** Access token lifetime, seconds. @default 60 */
  accessTokenTtlSeconds?: number;
  /** @deprecated 0.1's name of `accessTokenTtlSeconds`. */
  accessTokenTtl?: number;
  /**
   * The absolute lifetime of a session (a refresh-token family) from its sign-in, seconds: then
   * every refresh is refused, and answers say how long is left (`sessionExpiresIn`, whole seconds
   * rounded down, as Tokenlane's API says it). @default no end
   */
  sessionLifetimeSeconds?: number;
  /** @deprecated 0.1's name of `sessionLifetimeSeconds`. */
  sessionLifetime?: number;
  /**
   * What a logout revokes at the server: the session's whole family (Tokenlane's API), or only the
   * refresh token presented (RFC 7009, the convention of many OAuth servers). @default 'family'
   */
  revocation?: Revocation;
  /** The clients' `refreshLeewaySeconds`. @default 10 */
  refreshLeewaySeconds?: number;
  /** @deprecated 0.1's name of `refreshLeewaySeconds`. */
  refreshLeeway?: number;
  /**
   * Whether the tabs share one lock (the Web Locks API), or the browser has none (Safari before
   * 15.4, some embedded webviews) and the client elects one tab over the channel. @default true
   */
  sharedLock?: boolean;
  /** One-way network latency, ms. @default 20 */
  latencyMs?: number;
  /** Seeds every random choice (jitter, channel delays and losses): same seed, same run. @default 1 */
  seed?: number;
}

/** What a run did, for assertions. */
export interface SimulatorReport extends ServerLog {
  /**
   * Requests made with `tab.request()`: answered 2xx, failed (by error code or status), still
   * waiting, and run by the server as a user other than the one they began as (always 0).
   */
  requests: SimRequests;
  /** Every sign-out, in order: which tab, when (ms since the start), and why. */
  signOuts: SignOut[];
  /** Cross-tab messages posted and lost. */
  messages: { posted: number; lost: number };
}

/** A deterministic browser (tabs, clock, network) and server around the real Tokenlane client. */
export interface SessionSimulator {
  readonly tabs: readonly SimTab[];
  /** Moves the virtual clock by `ms`: timers fire, answers and messages arrive. */
  advance(ms: number): Promise<void>;
  /** The laptop sleeps for `ms`: every tab stops, the clock moves, then they wake (visible). */
  sleep(ms: number): Promise<void>;
  /** The system clock changes by `ms` (timers do not fire). */
  jumpClock(ms: number): void;
  /** Virtual ms since the start (the server's clock: `jumpClock` does not move it). */
  now(): number;
  /** A page opened now (a new tab, or a reload): it joins `tabs` and restores the session. */
  openTab(): Promise<SimTab>;
  /** Faults between the tabs and the server, and between tabs. */
  network: {
    offline(on: boolean): void;
    /** The next refresh calls meet these faults, in order. */
    failNextRefresh(...faults: RefreshFault[]): void;
    /** Cross-tab messages delayed within `delayMs` (so they may reorder) and lost at `lossRate`. */
    channel(options: { delayMs?: [number, number]; lossRate?: number }): void;
    /**
     * Back to health: online, messages on time and never lost, no refresh faults waiting; returns
     * the faults it dropped (those of every tab included), so a script learns what never happened.
     */
    heal(): { refreshFaults: RefreshFault[] };
  };
  /** The server ends every session (the next refresh is refused). */
  revokeAll(): void;
  /** Whether the refresh token the browser holds (its cookie, or a tab's) is still renewable. */
  isLive(refreshToken: string): boolean;
  /** Whose sessions the server would still renew: one user per live refresh-token family. */
  liveSessions(): string[];
  report(): SimulatorReport;
}
