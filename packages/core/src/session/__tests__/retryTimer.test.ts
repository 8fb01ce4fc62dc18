import { describe, expect, it, vi } from 'vitest';
import { createRetryTimer } from '../retryTimer.js';
import { fakeRuntime } from '@tokenlane/test-kit/fakes';

const DELAYS = [100, 1_000] as const;

function setup() {
  const clock = fakeRuntime(0);
  const times: number[] = [];
  const attempt = vi.fn(() => times.push(clock.runtime.now()));
  const retry = createRetryTimer(clock.runtime, DELAYS, attempt);
  return { clock, times, attempt, retry };
}

describe('createRetryTimer', () => {
  it('waits each delay in turn, then repeats the last', async () => {
    const { clock, times, retry } = setup();
    for (let i = 0; i < 4; i++) {
      retry.arm();
      await clock.advance(1_000);
    }
    expect(times).toEqual([100, 2_000, 3_000, 4_000]);
  });

  it('a cancelled try keeps the count of attempts; a reset starts it over and stops listening for wake', async () => {
    const { clock, times, attempt, retry } = setup();
    retry.arm();
    retry.disarm(false);
    retry.arm();
    await clock.advance(1_000);
    expect(times).toEqual([1_000]);
    retry.arm();
    retry.disarm(true);
    clock.wake();
    expect(attempt).toHaveBeenCalledTimes(1);
    retry.arm();
    await clock.advance(1_000);
    expect(times).toEqual([1_000, 1_100]);
  });

  it('tries at once on wake, and the next wait is the next delay', async () => {
    const { clock, times, retry } = setup();
    retry.arm();
    await clock.advance(50);
    clock.wake();
    expect(times).toEqual([50]);
    expect(clock.pendingTimers()).toBe(0);
    retry.arm();
    await clock.advance(1_000);
    expect(times).toEqual([50, 1_050]);
  });

  it('after dispose, neither a timer, a wake nor a later arm() tries again', async () => {
    const { clock, attempt, retry } = setup();
    retry.arm();
    retry.dispose();
    retry.arm();
    clock.wake();
    await clock.advance(10_000);
    expect(attempt).not.toHaveBeenCalled();
    expect(clock.pendingTimers()).toBe(0);
  });
});
