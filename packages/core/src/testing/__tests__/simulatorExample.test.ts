import { expect, it } from 'vitest';
import { createSessionSimulator } from '@tokenlane/core/testing';

it('keeps a two-tab session alive through sleep, a frozen tab and a lost answer', async () => {
  const sim = createSessionSimulator({ tabs: 2, refreshTokenIn: 'body', reuse: 'strict' });
  const [tab1, tab2] = sim.tabs;
  await tab1!.login();
  const browse = async (minutes: number) => {
    for (let s = 0; s < minutes * 60; s += 5) {
      sim.tabs.forEach((tab) => void tab.request());
      await sim.advance(5_000);
    }
  };
  await browse(2);
  await sim.sleep(30 * 60_000); // the laptop lid, closed for half an hour
  tab2!.throttle(true); // a background tab: its timers fire once a minute
  await browse(2);
  sim.network.failNextRefresh({ slowMs: 12_000 }, '5xx'); // a slow answer, then a 503
  tab1!.freeze(); // frozen by the browser, maybe while it holds the refresh lock
  await browse(2);
  tab1!.resume();
  await browse(2);
  await sim.advance(60_000); // the throttled tab's last timers fire on the next whole minute

  const report = sim.report();
  expect(report.presentedAgain).toEqual([]); // no rotated refresh token presented
  expect(report.signOuts).toEqual([]); // nobody signed out
  expect(report.requests.pending).toBe(0); // every request ended
  expect(tab1!.client.getState().status).toBe('authenticated');
  expect(tab2!.client.getState().status).toBe('authenticated');
});
