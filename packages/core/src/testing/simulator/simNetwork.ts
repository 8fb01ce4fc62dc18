import type { AuthChannel, CrossTabMessage } from '../../session/channel.js';
import type { Place, World } from './world.js';

/** What can happen to one refresh call on the way. */
export type RefreshFault =
  /** The server answers 503 without touching the session. */
  | '5xx'
  /** The server rotates, and the answer is lost on the way back (the client sees a network error). */
  | 'lost'
  /** The server ends the session first (revoked by an admin): the refresh is refused. */
  | 'refused'
  /** The answer comes back this many ms late. */
  | { slowMs: number };

/** The network between the tabs and the server, and between the tabs. */
export interface NetworkState {
  offline: boolean;
  /** One way, ms. */
  latencyMs: number;
  /** Faults for the next refresh calls, in order. */
  refreshFaults: RefreshFault[];
  /** Faults for the next refresh calls of one tab (by its id), taken before `refreshFaults`. */
  tabFaults: Map<number, RefreshFault[]>;
  /** Cross-tab messages: each is delayed by a random time in this range (so they may reorder)… */
  channelDelayMs: [min: number, max: number];
  /** …and lost with this probability. */
  channelLossRate: number;
}

/** Thrown by the simulated network where a browser's `fetch` rejects. */
export const networkError = () => new TypeError('Failed to fetch (simulated network)');

/**
 * Sends a call from `place` to the server: `handle` runs on arrival (unless offline), and its
 * result travels back, arriving in the tab when it runs; `onArrival` runs as the browser receives
 * it (cookies are stored then, even while the tab is frozen). `fault` shapes a refresh call.
 */
export function send<T>(
  world: World,
  net: NetworkState,
  place: Place,
  handle: () => T,
  { fault, onArrival }: { fault?: RefreshFault | undefined; onArrival?: (answer: T) => void } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = () => world.deliver(place, () => reject(networkError()));
    world.schedule(null, net.latencyMs, () => {
      if (net.offline) return void fail();
      const answer = handle();
      const back = net.latencyMs + (typeof fault === 'object' ? fault.slowMs : 0);
      world.schedule(null, back, () => {
        if (fault === 'lost' || net.offline) return void fail();
        // A closed tab's requests are cancelled with it: no cookie of theirs is stored.
        if (place.state === 'killed') return;
        onArrival?.(answer);
        world.deliver(place, () => resolve(answer));
      });
    });
  });
}

/**
 * `BroadcastChannel` between simulated tabs: messages structured-cloned, delayed (those of two
 * tabs may pass each other) or lost as the network state says, and held for a tab that sleeps or
 * is frozen.
 */
export function createSimChannels<TUser>(world: World, net: NetworkState, random: () => number) {
  const members = new Map<Place, Set<(message: CrossTabMessage<TUser>) => void>>();
  const stats = { posted: 0, lost: 0 };
  /** Per receiving tab, the messages on their way to it (each settles as it reaches the tab). */
  const onTheirWay = new Map<Place, Set<Promise<void>>>();
  /** Per sender and receiver, when its last message arrives (monotonic ms). */
  const lastArrival = new Map<string, number>();
  return {
    stats,
    connect(place: Place): AuthChannel<TUser> {
      const listeners = new Set<(message: CrossTabMessage<TUser>) => void>();
      members.set(place, listeners);
      return {
        post(message) {
          for (const [other, theirs] of members) {
            if (other === place) continue;
            stats.posted++;
            if (random() < net.channelLossRate) {
              stats.lost++;
              continue;
            }
            const [min, max] = net.channelDelayMs;
            const copy = structuredClone(message);
            // In order from one tab to another, as `BroadcastChannel` delivers them; messages from
            // different tabs may pass each other.
            const route = `${place.id}>${other.id}`;
            const at = Math.max(
              world.mono + min + random() * (max - min),
              lastArrival.get(route) ?? 0,
            );
            lastArrival.set(route, at);
            const way = onTheirWay.get(other) ?? new Set();
            onTheirWay.set(other, way);
            const arrival = new Promise<void>((arrived) =>
              world.schedule(null, at - world.mono, () => {
                way.delete(arrival);
                world.deliver(other, () => theirs.forEach((listener) => listener(copy)));
                arrived();
              }),
            );
            way.add(arrival);
          }
        },
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: () => void members.delete(place),
        // As a `BroadcastChannel` probe's round trip: what other tabs posted before now reaches
        // this tab first (on the network's clock, not on this tab's timers, which a background
        // tab has throttled); the answer, like every message, waits for the tab to run.
        settle: () =>
          Promise.all([...(onTheirWay.get(place) ?? [])]).then(
            () => new Promise<void>((resolve) => world.deliver(place, resolve)),
          ),
      };
    },
  };
}
