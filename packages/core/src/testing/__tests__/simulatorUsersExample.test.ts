import { expect, it } from 'vitest';
import { createSessionSimulator } from '@tokenlane/core/testing';

it('a shared computer: carol signs in while alice’s renewal is on its way; nothing of alice’s comes back', async () => {
  const sim = createSessionSimulator({ tabs: 2, sessionLifetimeSeconds: 8 * 3600 });
  const [tab1, tab2] = sim.tabs;
  await tab1!.login('alice');
  sim.network.failNextRefresh({ slowMs: 10_000 }); // the next renewal's answer: ten seconds late
  await sim.advance(50_000); // alice's token is due: a tab renews it, the answer on its way
  tab1!.freeze(); // the browser freezes tab 1 meanwhile
  await tab2!.login('carol'); // carol signs in on the same computer
  void tab2!.request();
  tab1!.resume();
  await sim.advance(60_000); // alice's answer lands, late

  expect(sim.tabs.map((tab) => tab.view().user)).toEqual(['carol', 'carol']);
  expect(sim.report().requests.asOtherUser).toBe(0); // every request ran as who began it
  expect(sim.liveSessions()).toEqual(['carol']); // alice's session ended at the server
  const dropped = sim.network.heal(); // nothing was left unused
  expect(dropped.refreshFaults).toEqual([]);
});
