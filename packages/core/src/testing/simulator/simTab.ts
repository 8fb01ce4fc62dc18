import type { Runtime } from '../../session/runtime.js';
import type { AuthUser } from '../../session/types.js';
import type { FetchClient } from '../../fetch/createFetchClient.js';
import { userKeyOf } from '../../session/userKey.js';
import type { NetworkState, RefreshFault } from './simNetwork.js';
import type { Place, TabState, World } from './world.js';

/** A sign-out seen in a tab: when (ms of virtual time since the start), and why. */
export interface SignOut {
  tab: number;
  at: number;
  cause: 'logout' | 'remote-logout' | 'session-expired';
}

/** One simulated tab: the real client, what a user does in it, and what the browser does to it. */
export interface SimTab {
  readonly id: number;
  /** The real client (`createFetchClient`) running in this tab. */
  readonly client: FetchClient<AuthUser>;
  /** The tab's clock and timers (for code under test that takes a runtime: `onSessionEnding`). */
  readonly runtime: Runtime;
  readonly state: TabState;
  /** Signs in as `user` (the clock moves until the answer arrives). @default 'sim' */
  login(user?: string): Promise<void>;
  /** Signs out (the clock moves until it is done). */
  logout(): Promise<void>;
  /**
   * One authed API request; its outcome goes to the report (it never rejects). A frozen or sleeping
   * tab runs no script: the request starts when it runs again. A closed tab sends nothing (the
   * request resolves at once and is not counted).
   */
  request(): Promise<void>;
  /** Faults for this tab's next refresh calls only, in order (before the network's own). */
  failNextRefresh(...faults: RefreshFault[]): void;
  /**
   * What the app shows in this tab: the signed-in user, and whose data its cache holds for that
   * user. The cache works as `AuthProvider`'s: answers kept under the user a request began with,
   * all of it cleared when the user changes.
   */
  view(): { user: string | null; data: string | null };
  /** The tab stops: its timers, answers and messages wait until it wakes. */
  sleep(): void;
  /** The tab runs again; `visible` (default) also fires its wake signal (visibility, focus). */
  wake(options?: { visible?: boolean }): void;
  /** Page Lifecycle `freeze`: as asleep, while it may hold the lock. */
  freeze(): void;
  /** Page Lifecycle `resume`. */
  resume(): void;
  /**
   * Closed or discarded, for good: its locks are freed, its timers never fire, its calls in flight
   * are cancelled (no cookie of theirs is stored), it leaves the channel, nothing wakes it.
   */
  kill(): void;
  /** Background throttling: its timers fire only on whole minutes. */
  throttle(on: boolean): void;
}

/** Requests made with `tab.request()`, as the report counts them. */
export interface SimRequests {
  sent: number;
  succeeded: number;
  failed: Record<string, number>;
  pending: number;
  /** Answered 2xx by the server as a user other than the one the tab showed when it began. */
  asOtherUser: number;
}

/** What a tab shares with the simulator. */
interface TabContext {
  world: World;
  place: Place;
  client: FetchClient<AuthUser>;
  signOuts: SignOut[];
  requests: SimRequests;
  net: NetworkState;
}

const errorCode = (error: unknown) =>
  (error as { code?: unknown }).code?.toString() ?? (error as Error).name;

export function createSimTab({
  world,
  place,
  client,
  signOuts,
  requests,
  net,
}: TabContext): SimTab {
  let pending = 0;
  const userKey = () => userKeyOf(client.getState().user);
  /** The app's cache: per user key, whose data an answer carried. */
  const cache = new Map<unknown, string>();
  let shownKey = userKey();
  client.subscribe(() => {
    const next = userKey();
    if (shownKey !== null && next !== shownKey) cache.clear();
    shownKey = next;
  });
  const signedOut = (cause: SignOut['cause']) =>
    signOuts.push({ tab: place.id, at: world.mono, cause });
  client.on('session-expired', () => signedOut('session-expired'));
  client.on('logout', ({ remote, reason }) => {
    // The tab that met the server's refusal reports it as `session-expired` as well.
    if (remote || reason === 'user' || reason === 'idle') {
      signedOut(remote ? 'remote-logout' : 'logout');
    }
  });
  const ended = (outcome: string | null) => {
    if (place.state === 'killed') return;
    pending--;
    requests.pending--;
    if (outcome === null) requests.succeeded++;
    else requests.failed[outcome] = (requests.failed[outcome] ?? 0) + 1;
  };
  const wakeUp = () => {
    world.resume(place);
    place.wakeListeners.forEach((listener) => listener());
  };
  return {
    id: place.id,
    client,
    runtime: world.runtimeFor(place),
    get state() {
      return place.state;
    },
    login: (user = 'sim') =>
      world
        .until(client.login({ email: `${user}@tokenlane.dev`, password: 'sim' }), 'login')
        .then(() => {}),
    logout: () => world.until(client.logout(), 'logout'),
    request() {
      if (place.state === 'killed') return Promise.resolve();
      requests.sent++;
      requests.pending++;
      pending++;
      return new Promise<void>((started) => world.deliver(place, () => started())).then(() => {
        const key = userKey();
        return client.fetch('/api/data').then(
          async (response) => {
            const ranAs = response.ok ? ((await response.json()) as { user: string }).user : null;
            if (ranAs !== null) cache.set(key, ranAs);
            // A request begun as one user (or none) that the server ran as another.
            if (ranAs !== null && key !== null && String(key) !== ranAs) requests.asOtherUser++;
            ended(response.ok ? null : `http_${response.status}`);
          },
          (error: unknown) => ended(errorCode(error)),
        );
      });
    },
    failNextRefresh(...faults) {
      net.tabFaults.set(place.id, [...(net.tabFaults.get(place.id) ?? []), ...faults]);
    },
    view() {
      const key = userKey();
      return { user: key === null ? null : String(key), data: cache.get(key) ?? null };
    },
    sleep: () => void (place.state === 'killed' || (place.state = 'asleep')),
    wake: ({ visible = true } = {}) => (visible ? wakeUp() : world.resume(place)),
    freeze: () => void (place.state === 'killed' || (place.state = 'frozen')),
    resume: wakeUp,
    kill() {
      requests.pending -= pending;
      pending = 0;
      place.close();
      client.dispose();
    },
    throttle: (on) => void (place.throttled = on),
  };
}
