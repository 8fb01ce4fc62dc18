import { describe, expect, it } from 'vitest';
import { createLiveHub, KEPT_CHANGES } from '../live/liveHub.js';

// Issue 35: what a resuming stream gets: the changes after its last id, or `undefined` (reload the
// list) when some of them are no longer kept.
describe('the live hub', () => {
  it("keeps each user's last changes for resuming, and says when it cannot", () => {
    const hub = createLiveHub();
    const seen: number[] = [];
    hub.subscribe('a', (change) => seen.push(change.id));
    for (let n = 0; n <= KEPT_CHANGES; n++) hub.publish('a', 'created', { id: `t${n}` });
    hub.publish('b', 'deleted', { id: 'x' });
    expect(seen).toHaveLength(KEPT_CHANGES + 1);
    expect(hub.since('a', KEPT_CHANGES + 1)).toEqual([]);
    expect(hub.since('a', KEPT_CHANGES - 1)?.map((change) => change.id)).toEqual([
      KEPT_CHANGES,
      KEPT_CHANGES + 1,
    ]);
    expect(hub.since('a', 1)).toHaveLength(KEPT_CHANGES);
    expect(hub.since('a', 0)).toBeUndefined();
    expect(hub.since('b', 0)).toEqual([
      { type: 'todo', id: 1, change: 'deleted', todo: { id: 'x' } },
    ]);
  });
});
