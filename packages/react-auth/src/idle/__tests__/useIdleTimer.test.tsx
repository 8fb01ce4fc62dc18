// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeRuntime, USER } from '@tokenlane/test-kit/fakes';
import { type AuthUser, createFetchClient } from '@tokenlane/core';
import { AuthContext } from '../../react/AuthContext.js';
import { idleSignOut } from '@tokenlane/core/idle';
import { useIdleTimer } from '../useIdleTimer.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const fetchTokens = () =>
  Promise.resolve(Response.json({ accessToken: 't', expiresIn: 600, user: USER }));

function Warning() {
  const { warning, msLeft, stay } = useIdleTimer();
  if (!warning) return <p>active, {msLeft} ms left</p>;
  return (
    <div role="alertdialog">
      <p>Signed out in {Math.ceil((msLeft ?? 0) / 1000)} s</p>
      <button onClick={stay}>Stay signed in</button>
    </div>
  );
}

describe('useIdleTimer', () => {
  it("renders the warning with a countdown that ticks each second, and stay() ends it (the client's idle option)", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = fakeRuntime();
    const idle = idleSignOut({ timeoutMs: 60_000, warnBeforeMs: 10_000 });
    const client = createFetchClient<AuthUser>({
      baseURL: 'https://api.test/',
      fetch: fetchTokens,
      runtime: clock.runtime,
      crossTab: false,
      idle,
    });
    await client.login({ email: USER.email, password: 'pw' });
    render(
      <AuthContext.Provider value={{ client, api: null }}>
        <Warning />
      </AuthContext.Provider>,
    );
    expect(screen.getByText('active, 60000 ms left')).toBeTruthy();
    await act(() => clock.advance(50_000));
    expect(screen.getByText('Signed out in 10 s')).toBeTruthy();
    await act(async () => {
      await clock.advance(3_000);
      vi.advanceTimersByTime(1_000);
    });
    expect(screen.getByText('Signed out in 7 s')).toBeTruthy();
    fireEvent.click(screen.getByText('Stay signed in'));
    expect(screen.getByText('active, 60000 ms left')).toBeTruthy();
    client.dispose();
  });

  it('says which option is missing when the client has no idle sign-out', () => {
    const client = createFetchClient({ baseURL: 'https://api.test/', crossTab: false });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() =>
      render(
        <AuthContext.Provider value={{ client, api: null }}>
          <Warning />
        </AuthContext.Provider>,
      ),
    ).toThrow(/no `idle` option/);
  });
});
