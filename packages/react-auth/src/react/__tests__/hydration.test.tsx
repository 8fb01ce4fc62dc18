// @vitest-environment jsdom
import { act, waitFor } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { factsFor, Page, recordedClient } from './ssrTree.js';

// The browser after a server render: the page adopts the session the server rendered with.

afterEach(() => void (document.body.innerHTML = ''));

/** The server's HTML for `facts` (rendered with a client of its own), in a container. */
function serverHtml(facts: ReturnType<typeof factsFor> | null) {
  const container = document.createElement('div');
  container.innerHTML = renderToString(
    <Page client={recordedClient().client} initialSession={facts} />,
  );
  document.body.append(container);
  return container;
}

describe('hydrating with <AuthHydration>', () => {
  it('never shows loading or the login form, and makes no call at start', async () => {
    const container = serverHtml(factsFor('ada'));
    const { client, calls } = recordedClient();
    const seen: string[] = [];
    const recoverable = vi.fn();
    await act(async () => {
      hydrateRoot(
        container,
        <Page client={client} initialSession={factsFor('ada')} seen={seen} />,
        { onRecoverableError: recoverable },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(container.textContent).toBe('Signed in as ada@example.test');
    expect(new Set(seen)).toEqual(new Set(['authenticated']));
    expect(recoverable).not.toHaveBeenCalled();
    expect(client.getState()).toMatchObject({
      status: 'authenticated',
      user: { sub: 'ada' },
    });
    // No check-session call: the restore on mount found the session adopted.
    expect(calls).toEqual([]);
  });

  it('asks the BFF when the server rendered signed out', async () => {
    const container = serverHtml(null);
    const { client, calls } = recordedClient();
    act(() => void hydrateRoot(container, <Page client={client} initialSession={null} />));
    await waitFor(() => expect(calls).toEqual(['http://app.test/bff/session']));
  });

  it('asks the BFF when the server session is not a session answer', async () => {
    const { client, calls } = recordedClient();
    const notOne = { user: 'x' } as never;
    const container = serverHtml(notOne);
    act(() => void hydrateRoot(container, <Page client={client} initialSession={notOne} />));
    await waitFor(() => expect(calls).toEqual(['http://app.test/bff/session']));
  });
});
