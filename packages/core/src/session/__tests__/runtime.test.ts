import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultRuntime } from '../runtime.js';

/** A window and document of its own, and a listener subscribed to the runtime's wake signals. */
function wakeOnStubbedPage() {
  const page = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
  vi.stubGlobal('window', page);
  vi.stubGlobal('document', doc);
  const listener = vi.fn();
  return { page, doc, listener, stop: defaultRuntime().onWake(listener) };
}

describe('defaultRuntime', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the wall clock and Math.random', () => {
    const runtime = defaultRuntime();
    const before = Date.now();
    expect(runtime.now()).toBeGreaterThanOrEqual(before);
    expect(runtime.random()).toBeGreaterThanOrEqual(0);
    expect(runtime.random()).toBeLessThan(1);
  });

  it('unrefs its timers in Node, so they never hold the process open, and clears them', async () => {
    const runtime = defaultRuntime();
    const fired = vi.fn();
    const handle = runtime.setTimeout(fired, 0) as { hasRef(): boolean };
    expect(handle.hasRef()).toBe(false);
    runtime.clearTimeout(handle);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).not.toHaveBeenCalled();
    runtime.setTimeout(fired, 0);
    await vi.waitFor(() => expect(fired).toHaveBeenCalledTimes(1));
  });

  it('works with timers that have no unref (browsers return a number)', () => {
    vi.stubGlobal('setTimeout', () => 7);
    expect(defaultRuntime().setTimeout(() => {}, 10)).toBe(7);
  });

  it('has no wake signals in a worker (a window-like global without a document)', () => {
    vi.stubGlobal('window', new EventTarget());
    const listener = vi.fn();
    expect(() => defaultRuntime().onWake(listener)()).not.toThrow();
  });

  it('has no wake signals without a page', () => {
    const listener = vi.fn();
    expect(() => defaultRuntime().onWake(listener)()).not.toThrow();
  });

  it('wakes on visible, online and focus (not on hidden), until unsubscribed', () => {
    const { page, doc, listener, stop } = wakeOnStubbedPage();
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(listener).not.toHaveBeenCalled();
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    page.dispatchEvent(new Event('online'));
    page.dispatchEvent(new Event('focus'));
    expect(listener).toHaveBeenCalledTimes(3);
    stop();
    doc.dispatchEvent(new Event('visibilitychange'));
    page.dispatchEvent(new Event('online'));
    page.dispatchEvent(new Event('focus'));
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('wakes on resume (Page Lifecycle) and on a pageshow from the back/forward cache only', () => {
    const { page, doc, listener, stop } = wakeOnStubbedPage();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    expect(listener).not.toHaveBeenCalled();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    doc.dispatchEvent(new Event('resume'));
    expect(listener).toHaveBeenCalledTimes(2);
    stop();
    page.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    doc.dispatchEvent(new Event('resume'));
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
