import { describe, expect, it, vi } from 'vitest';
import { createRefreshScheduler, MAX_JITTER_MS, refreshDueAt } from '../refreshScheduler.js';
import { fakeRuntime } from '@tokenlane/test-kit/fakes';

describe('refreshDueAt', () => {
  it('caps the jitter at MAX_JITTER_MS for long leeways', () => {
    // leeway 60 s (a fifth of 300 s is 60 s): half of it would be 30 s, capped at 5 s.
    expect(refreshDueAt(1_000_000, 300_000, 60_000, 1)).toBe(1_000_000 - 60_000 - MAX_JITTER_MS);
    expect(refreshDueAt(1_000_000, 300_000, 60_000, 0.5)).toBe(
      1_000_000 - 60_000 - MAX_JITTER_MS / 2,
    );
  });
});

describe('createRefreshScheduler', () => {
  it('fires once at the due time, not before', async () => {
    const clock = fakeRuntime(0);
    const onDue = vi.fn();
    const scheduler = createRefreshScheduler(clock.runtime, onDue);
    scheduler.schedule(1_000);
    expect(scheduler.isDue()).toBe(false);
    await clock.advance(999);
    expect(onDue).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(onDue).toHaveBeenCalledTimes(1);
    // Fired: no longer due, nothing left armed.
    expect(scheduler.isDue()).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires at once for a due time in the past', () => {
    const clock = fakeRuntime(5_000);
    const onDue = vi.fn();
    createRefreshScheduler(clock.runtime, onDue).schedule(4_000);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('says it is due once the wall clock passed the time, even before the timer fired', () => {
    const clock = fakeRuntime(0);
    const scheduler = createRefreshScheduler(clock.runtime, vi.fn());
    scheduler.schedule(1_000);
    clock.sleep(1_000);
    expect(scheduler.isDue()).toBe(true);
  });

  it('replaces the previous time, and disarms on null', async () => {
    const clock = fakeRuntime(0);
    const onDue = vi.fn();
    const scheduler = createRefreshScheduler(clock.runtime, onDue);
    scheduler.schedule(1_000);
    scheduler.schedule(3_000);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(2_000);
    expect(onDue).not.toHaveBeenCalled();
    scheduler.schedule(null);
    expect(clock.pendingTimers()).toBe(0);
    expect(scheduler.isDue()).toBe(false);
    await clock.advance(5_000);
    expect(onDue).not.toHaveBeenCalled();
  });

  it('re-arms within the browser timer limit for far-away times', async () => {
    const clock = fakeRuntime(0);
    const onDue = vi.fn();
    const setTimeout = vi.spyOn(clock.runtime, 'setTimeout');
    const scheduler = createRefreshScheduler(clock.runtime, onDue);
    const farAway = 2 ** 31 + 10_000;
    scheduler.schedule(farAway);
    expect(setTimeout).toHaveBeenLastCalledWith(expect.any(Function), 2 ** 31 - 1);
    await clock.advance(2 ** 31 - 1);
    expect(onDue).not.toHaveBeenCalled();
    expect(setTimeout).toHaveBeenLastCalledWith(expect.any(Function), 10_001);
    await clock.advance(10_001);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('listens for wake-ups only while armed, and stops on dispose', () => {
    const clock = fakeRuntime(0);
    const onDue = vi.fn();
    const onWake = vi.spyOn(clock.runtime, 'onWake');
    const scheduler = createRefreshScheduler(clock.runtime, onDue);
    scheduler.schedule(null);
    expect(onWake).not.toHaveBeenCalled();
    scheduler.schedule(1_000);
    scheduler.schedule(2_000);
    expect(onWake).toHaveBeenCalledTimes(1);
    scheduler.dispose();
    expect(clock.pendingTimers()).toBe(0);
    clock.sleep(5_000);
    clock.wake();
    expect(onDue).not.toHaveBeenCalled();
    expect(scheduler.isDue()).toBe(false);
  });
});

describe('createRefreshScheduler edges', () => {
  it('can be disposed without ever being armed, and twice', () => {
    const scheduler = createRefreshScheduler(fakeRuntime(0).runtime, vi.fn());
    expect(() => {
      scheduler.dispose();
      scheduler.dispose();
    }).not.toThrow();
  });
});

describe('refreshDueAt', () => {
  it('uses the leeway, plus up to half of it as jitter', () => {
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 0)).toBe(970_000);
    expect(refreshDueAt(1_000_000, 900_000, 30_000, 1)).toBe(965_000);
  });

  it('clamps the leeway to a fifth of a short lifetime', () => {
    expect(refreshDueAt(10_000, 3_000, 30_000, 0)).toBe(9_400);
  });
});
