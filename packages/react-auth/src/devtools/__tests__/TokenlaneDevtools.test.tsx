// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthProvider, createAuthClient } from '../../index.js';
import { createTestServer } from '../../testing/createTestServer.js';
import { stepUp } from '@tokenlane/core/step-up';
import { tokenBinding } from '../DevtoolsPanel.js';
import { TokenlaneDevtools } from '../TokenlaneDevtools.js';

const user = { id: '1', email: 'ada@example.com' };
afterEach(cleanup);

function renderDevtools(steps?: ReturnType<typeof stepUp>) {
  const server = createTestServer({ user, handler: () => Response.json([]) });
  const client = createAuthClient(server.clientOptions);
  render(
    <AuthProvider client={client}>
      <main>app</main>
      <TokenlaneDevtools log={{ observeNetwork: null }} {...(steps && { stepUp: steps })} />
    </AuthProvider>,
  );
  const toggle = screen.getByRole('button', { name: 'Tokenlane devtools' });
  return { server, client, toggle };
}

const panel = () => screen.getByRole('dialog', { name: 'Tokenlane' });

describe('<TokenlaneDevtools>', () => {
  it('is closed by default: a button that says so', () => {
    const { toggle } = renderDevtools();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens into a labelled panel that takes the focus; Escape closes it and gives the focus back', () => {
    const { toggle } = renderDevtools();
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe(panel().id);
    expect(document.activeElement).toBe(panel());
    fireEvent.keyDown(panel(), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });

  it('shows the status, the user and the remaining lifetime', async () => {
    const { toggle } = renderDevtools();
    fireEvent.click(toggle);
    expect((await screen.findByTestId('tokenlane-devtools-status')).textContent).toBe(
      'authenticated',
    );
    expect(screen.getByTestId('tokenlane-devtools-user').textContent).toBe('ada@example.com');
    expect(screen.getByTestId('tokenlane-devtools-lifetime').textContent).toMatch(/^\d+\.\d s$/);
  });

  it('says whether the token is bound to a DPoP key (cnf.jkt), a bearer token, or opaque', async () => {
    const jwt = (claims: object) =>
      `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(tokenBinding(jwt({ sub: '1', cnf: { jkt: 'AbCdEfGh-rest-of-it' } }))).toBe(
      'DPoP-bound · key AbCdEfGh…',
    );
    expect(tokenBinding(jwt({ sub: '1' }))).toBe('none (bearer token)');
    expect(tokenBinding('opaque-token')).toBe('unknown (opaque token)');
    expect(tokenBinding(null)).toBe('–');
    const { toggle } = renderDevtools();
    fireEvent.click(toggle);
    await screen.findByText('authenticated');
    // The test server's tokens are opaque.
    await waitFor(() =>
      expect(screen.getByTestId('tokenlane-devtools-binding').textContent).toBe(
        'unknown (opaque token)',
      ),
    );
  });

  it('shows what a step-up waits for, and none once it ends', async () => {
    const steps = stepUp();
    const { toggle } = renderDevtools(steps);
    fireEvent.click(toggle);
    await screen.findByText('authenticated');
    const fact = screen.getByTestId('tokenlane-devtools-step-up');
    expect(fact.textContent).toBe('none');
    let waiting: Promise<void> | undefined;
    act(() => {
      waiting = steps.required({
        status: 401,
        challenge:
          'Bearer error="insufficient_user_authentication", max_age="300", acr_values="mfa"',
      });
    });
    expect(fact.textContent).toBe('waiting for a sign-in (max_age 300 s, acr_values mfa)');
    act(() => steps.cancel());
    await waiting?.catch(() => undefined);
    expect(fact.textContent).toBe('none');
  });

  it('"Expire now" makes one refresh, listed with its reason and duration; "Force refresh" another', async () => {
    const { server, client, toggle } = renderDevtools();
    fireEvent.click(toggle);
    await screen.findByText('authenticated');
    const before = server.refreshCount();
    fireEvent.click(within(panel()).getByRole('button', { name: 'Expire now' }));
    await act(() => Promise.all(Array.from({ length: 5 }, () => client.axios.get('/api/todos'))));
    expect(server.refreshCount()).toBe(before + 1);
    fireEvent.click(within(panel()).getByRole('button', { name: 'Force refresh' }));
    await act(() => client.getAccessToken());
    const rows = within(screen.getByTestId('tokenlane-devtools-refreshes')).getAllByRole(
      'listitem',
    );
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringMatching(/ manual · ok in \d+ ms$/),
      expect.stringMatching(/ expired · ok in \d+ ms$/),
      expect.stringMatching(/ restore · ok in \d+ ms$/),
    ]);
    expect(server.refreshCount()).toBe(before + 2);
  });

  it('lists what other tabs said, and clears its lists', async () => {
    const { server, toggle } = renderDevtools();
    fireEvent.click(toggle);
    await screen.findByText('authenticated');
    await act(async () => {
      server.signOutElsewhere();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.getByTestId('tokenlane-devtools-cross-tab').textContent).toMatch(/logged out$/);
    expect(screen.getByTestId('tokenlane-devtools-status').textContent).toBe('unauthenticated');
    expect(within(panel()).getByRole('button', { name: 'Expire now' })).toHaveProperty(
      'disabled',
      true,
    );
    fireEvent.click(within(panel()).getByRole('button', { name: 'Clear' }));
    expect(screen.queryByTestId('tokenlane-devtools-cross-tab')).toBeNull();
    expect(screen.getByTestId('tokenlane-devtools-refresh-count').textContent).toBe('0');
  });

  it('needs a client: from the props, or from <AuthProvider>', () => {
    expect(() => render(<TokenlaneDevtools />)).toThrow(
      /pass `client`, or render it inside <AuthProvider>/,
    );
  });
});
