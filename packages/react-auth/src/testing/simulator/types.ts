import type { RefreshFault } from './simNetwork.js';
import type { ReusePolicy, ServerLog } from './simServer.js';
import type { SignOut, SimTab } from './simTab.js';

/** What `createSessionSimulator` builds. */
export interface SimulatorOptions {
  /** Tabs of one browser, sharing its cookies, lock and channel. @default 2 */
  tabs?: number;
  /** Where the server hands the refresh token. @default 'cookie' */
  refreshTokenIn?: 'cookie' | 'body';
  /** What the server does with a rotated refresh token presented again. @default 'strict' */
  reuse?: ReusePolicy;
  /** Access token lifetime, seconds. @default 60 */
  accessTokenTtl?: number;
  /** The clients' `refreshLeeway`, seconds. @default 10 */
  refreshLeeway?: number;
  /**
   * Whether the tabs share one lock (the Web Locks API), or each has its own (browsers without
   * it, where only the channel coordinates them). @default true
   */
  sharedLock?: boolean;
  /** One-way network latency, ms. @default 20 */
  latencyMs?: number;
  /** Seeds every random choice (jitter, channel delays and losses): same seed, same run. @default 1 */
  seed?: number;
}

/** What a run did, for assertions. */
export interface SimulatorReport extends ServerLog {
  /** Requests made with `tab.request()`: answered 2xx, failed (by error code or status), still waiting. */
  requests: { sent: number; succeeded: number; failed: Record<string, number>; pending: number };
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
  /** Faults between the tabs and the server, and between tabs. */
  network: {
    offline(on: boolean): void;
    /** The next refresh calls meet these faults, in order. */
    failNextRefresh(...faults: RefreshFault[]): void;
    /** Cross-tab messages delayed within `delayMs` (so they may reorder) and lost at `lossRate`. */
    channel(options: { delayMs?: [number, number]; lossRate?: number }): void;
    /** Back to health: online, no refresh faults waiting, messages on time and never lost. */
    heal(): void;
  };
  /** The server ends every session (the next refresh is refused). */
  revokeAll(): void;
  /** Whether the refresh token the browser holds (its cookie, or a tab's) is still renewable. */
  isLive(refreshToken: string): boolean;
  report(): SimulatorReport;
}
