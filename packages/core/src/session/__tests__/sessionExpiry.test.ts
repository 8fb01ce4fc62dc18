import { describe, expect, it, vi } from 'vitest';
import { createBrowserRecord } from '../browserRecord.js';
import { AuthRequestError } from '../errors.js';
import { SESSION_END_DRIFT_MS } from '../heldToken.js';
import { createMemoryLock } from '../lock.js';
import type { AuthUser, TokenSet } from '../types.js';
import { createTestSession, fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';

// What a session holds across renewals, and how it ends: the reason every tab is told, and what
// the browser's record keeps (issue 31, findings 10 and 12).

const SESSION_S = 3_600;

function setup(sessionExpiresIn: number | null = SESSION_S) {
  const clock = fakeRuntime();
  const storage = new Map<string, string>();
  const record = createBrowserRecord('k', {
    getItem: (key) => storage.get(key) ?? null,
    setItem: (key, value) => void storage.set(key, value),
  });
  let answer: () => Promise<TokenSet<AuthUser>> = () =>
    Promise.resolve({ accessToken: 't2', expiresIn: 600 });
  const session = createTestSession<AuthUser>({
    transport: {
      login: () =>
        Promise.resolve({
          accessToken: 't1',
          expiresIn: 600,
          user: USER,
          sessionExpiresIn: sessionExpiresIn ?? undefined,
        }),
      refresh: () => answer(),
      logout: () => Promise.resolve(),
    },
    runtime: clock.runtime,
    refreshLeewaySeconds: 30,
    lock: createMemoryLock(clock.runtime),
    record,
  });
  const reasons: string[] = [];
  session.on('logout', ({ reason }) => reasons.push(reason ?? 'none'));
  const refuse = () =>
    (answer = () => Promise.reject(new AuthRequestError('invalid_grant', 'revoked', 401)));
  const stored = () => JSON.parse(storage.get('k') ?? 'null') as Record<string, unknown> | null;
  return {
    clock,
    session,
    reasons,
    refuse,
    stored,
    answerWith: (a: typeof answer) => (answer = a),
  };
}

describe('a session across renewals', () => {
  it('keeps its user and its end through a renewal that says neither', async () => {
    const { clock, session } = setup();
    await session.login({ email: USER.email, password: 'pw' });
    const { sessionEndsAt } = session.getState();
    expect(sessionEndsAt).toBe(clock.runtime.now() + SESSION_S * 1000);
    await session.refresh({ force: true });
    expect(session.getState()).toMatchObject({ user: USER, sessionEndsAt });
  });

  it('starts a session in the browser record when a restore finds one nobody had named', async () => {
    const { session, stored, answerWith } = setup();
    answerWith(() => Promise.resolve({ accessToken: 't9', expiresIn: 600, user: USER }));
    expect(stored()).toBeNull();
    await session.restore();
    expect(stored()?.seq).toBe(1);
    expect(typeof stored()?.sid).toBe('string');
  });
});

describe('a refused renewal', () => {
  it('well before the end: the reason is remote, and nothing is left pending', async () => {
    const { session, reasons, refuse, stored } = setup();
    await session.login({ email: USER.email, password: 'pw' });
    refuse();
    await session.refresh({ force: true }).catch(() => undefined);
    await settle();
    expect(reasons).toEqual(['remote']);
    expect(stored()).not.toHaveProperty('pending');
  });

  it('of a session whose end nobody said: the reason is remote', async () => {
    const { session, reasons, refuse } = setup(null);
    await session.login({ email: USER.email, password: 'pw' });
    expect(session.getState().sessionEndsAt).toBeNull();
    refuse();
    await session.refresh({ force: true }).catch(() => undefined);
    expect(reasons).toEqual(['remote']);
  });

  it('within the drift of the end: the reason is expired', async () => {
    const { clock, session, reasons, refuse } = setup();
    await session.login({ email: USER.email, password: 'pw' });
    const endsAt = session.getState().sessionEndsAt!;
    clock.sleep(endsAt - SESSION_END_DRIFT_MS.earlier - clock.runtime.now());
    refuse();
    const expired = vi.fn();
    session.on('session-expired', expired);
    await session.refresh({ force: true }).catch(() => undefined);
    await settle();
    expect(reasons).toEqual(['expired']);
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
