import { describe, expect, it, vi } from 'vitest';
import { createBrowserRecord, defaultRecordStorage } from '../browserRecord.js';
import { compareMarks, mintSid, NO_SESSION, sameSession } from '../sessionMark.js';
import { createStorageWriter } from '../storageWriter.js';
import { settle } from '@tokenlane/test-kit/fakes';

// The browser's order of sign-ins and sign-outs (issue 31): session marks, and the record every
// tab of the browser reads.

describe('session marks', () => {
  it('orders by the count of sign-ins and sign-outs first, whatever the ids', () => {
    expect(compareMarks({ seq: 2, sid: 'a' }, { seq: 1, sid: 'z' })).toBeGreaterThan(0);
    expect(compareMarks({ seq: 1, sid: 'z' }, { seq: 2, sid: null })).toBeLessThan(0);
  });

  it('breaks a tie the same way in every tab: a sign-out first, then the larger id', () => {
    expect(compareMarks({ seq: 3, sid: null }, { seq: 3, sid: 'a' })).toBe(1);
    expect(compareMarks({ seq: 3, sid: 'a' }, { seq: 3, sid: null })).toBe(-1);
    expect(compareMarks({ seq: 3, sid: 'b' }, { seq: 3, sid: 'a' })).toBe(1);
    expect(compareMarks({ seq: 3, sid: 'a' }, { seq: 3, sid: 'b' })).toBe(-1);
    expect(compareMarks({ seq: 3, sid: 'a' }, { seq: 3, sid: 'a' })).toBe(0);
    expect(compareMarks({ seq: 3, sid: null }, { seq: 3, sid: null })).toBe(0);
  });

  it('calls two marks one session only when both the count and the id agree', () => {
    expect(sameSession({ seq: 1, sid: 'a' }, { seq: 1, sid: 'a' })).toBe(true);
    expect(sameSession({ seq: 1, sid: 'a' }, { seq: 2, sid: 'a' })).toBe(false);
    expect(sameSession({ seq: 1, sid: 'a' }, { seq: 1, sid: 'b' })).toBe(false);
  });

  it('mints ids that differ even where randomness repeats (a test runtime)', () => {
    const runtime = { random: () => 0.5 };
    const [a, b] = [mintSid(runtime), mintSid(runtime)];
    expect(a).not.toBe(b);
    expect(a.split('.')[0]).toBe(Math.floor(0.5 * 2 ** 48).toString(36));
  });
});

/** A `localStorage` of one browser, which a test may make fail. */
function storage() {
  const items = new Map<string, string>();
  const broken = { get: false, set: false };
  return {
    items,
    broken,
    getItem: (key: string) => {
      if (broken.get) throw new Error('denied');
      return items.get(key) ?? null;
    },
    setItem: (key: string, value: string) => {
      if (broken.set) throw new Error('quota');
      items.set(key, value);
    },
  };
}

describe('the browser record', () => {
  it('starts before any sign-in, and keeps what a tab writes for every tab to read', () => {
    const shared = storage();
    const [a, b] = [createBrowserRecord('k', shared), createBrowserRecord('k', shared)];
    expect(a.read()).toEqual(NO_SESSION);
    a.write({ seq: 1, sid: 'x' });
    expect(shared.items.get('k')).toBe(JSON.stringify({ seq: 1, sid: 'x' }));
    expect(b.read()).toEqual({ seq: 1, sid: 'x' });
  });

  it('never goes back: a write older than what another tab wrote is ignored', () => {
    const shared = storage();
    const [a, b] = [createBrowserRecord('k', shared), createBrowserRecord('k', shared)];
    b.write({ seq: 4, sid: null, pending: 'user' });
    a.write({ seq: 3, sid: 'late' });
    expect(a.read()).toEqual({ seq: 4, sid: null, pending: 'user' });
    // The same mark again (a confirmation written elsewhere) is taken.
    b.confirm(4);
    expect(a.read()).toEqual({ seq: 4, sid: null });
  });

  it('confirms the sign-out it names only, and nothing that is not pending', () => {
    const shared = storage();
    const record = createBrowserRecord('k', shared);
    record.write({ seq: 2, sid: null, pending: 'idle' });
    record.confirm(1);
    expect(record.read().pending).toBe('idle');
    record.confirm(2);
    expect(record.read()).toEqual({ seq: 2, sid: null });
    const writes = vi.spyOn(shared, 'setItem');
    record.confirm(2);
    expect(writes).not.toHaveBeenCalled();
  });

  it('keeps its own copy when storage fails or holds something else', () => {
    const shared = storage();
    const record = createBrowserRecord('k', shared);
    record.write({ seq: 1, sid: 'x' });
    shared.items.set('k', 'not json');
    expect(record.read()).toEqual({ seq: 1, sid: 'x' });
    shared.items.set('k', JSON.stringify({ seq: 'one' }));
    expect(record.read()).toEqual({ seq: 1, sid: 'x' });
    shared.broken.get = true;
    expect(record.read()).toEqual({ seq: 1, sid: 'x' });
    shared.broken.get = false;
    shared.broken.set = true;
    record.write({ seq: 2, sid: 'y' });
    expect(record.read()).toEqual({ seq: 2, sid: 'y' });
  });

  it('reads only a well-formed mark from storage, and never one older than its own copy', () => {
    const shared = storage();
    const record = createBrowserRecord('k', shared);
    shared.broken.set = true;
    record.write({ seq: 2, sid: 'mine' }); // storage refused it: this tab's copy is ahead
    shared.broken.set = false;
    shared.items.set('k', JSON.stringify({ seq: 1, sid: 'older' }));
    expect(record.read()).toEqual({ seq: 2, sid: 'mine' });
    shared.items.set('k', JSON.stringify({ seq: '9', sid: 'text' }));
    expect(record.read()).toEqual({ seq: 2, sid: 'mine' });
    shared.items.set('k', JSON.stringify({ seq: 3, sid: 'later' }));
    expect(record.read()).toEqual({ seq: 3, sid: 'later' });
  });

  it('takes a write of the mark it holds (a sign-out confirmed: pending no more)', () => {
    const shared = storage();
    const record = createBrowserRecord('k', shared);
    record.write({ seq: 5, sid: null, pending: 'user' });
    record.write({ seq: 5, sid: null });
    expect(createBrowserRecord('k', shared).read()).toEqual({ seq: 5, sid: null });
  });

  it('works in memory without storage', () => {
    const record = createBrowserRecord('k', undefined);
    record.write({ seq: 1, sid: 'x' });
    expect(record.read()).toEqual({ seq: 1, sid: 'x' });
  });

  it("uses the page's localStorage, and none where reading it throws", () => {
    expect(defaultRecordStorage()).toBeUndefined();
    const local = storage();
    vi.stubGlobal('localStorage', local);
    expect(defaultRecordStorage()).toBe(local);
    vi.unstubAllGlobals();
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get: () => {
        throw new Error('SecurityError');
      },
    });
    expect(defaultRecordStorage()).toBeUndefined();
    Reflect.deleteProperty(globalThis, 'localStorage');
  });
});

describe('the body refresh token in storage', () => {
  it('writes each new token, removes it on null, and swallows a failing store', async () => {
    const store = { setItem: vi.fn(), removeItem: vi.fn(), getItem: vi.fn() };
    const write = createStorageWriter(store, 'key');
    write('r1');
    write(null);
    await settle();
    expect(store.setItem).toHaveBeenCalledWith('key', 'r1');
    expect(store.removeItem).toHaveBeenCalledWith('key');
    store.setItem.mockImplementation(() => {
      throw new Error('full');
    });
    write('r2');
    await settle();
    expect(store.setItem).toHaveBeenCalledTimes(2);
    createStorageWriter(undefined, 'key')('r3');
    await settle();
  });
});
