import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { factsFor, Page, recordedClient } from './ssrTree.js';

// A server render (Node, no window): the page shows the session the server rendered with, and
// the client, shared by every request on a server, is never signed in by it.

describe('<AuthHydration> on a server', () => {
  it('renders the signed-in page from the server session, without touching the shared client', () => {
    const { client, calls } = recordedClient();
    const html = renderToString(<Page client={client} initialSession={factsFor('ada')} />);
    expect(html).toContain('Signed in as <!-- -->ada@example.test');
    expect(html).not.toContain('Loading');
    expect(html).not.toContain('Login form');
    expect(client.getState().status).toBe('loading');
    expect(calls).toEqual([]);
  });

  it('renders each request its own user on one shared client, and the login form for null', () => {
    const { client } = recordedClient();
    const ada = renderToString(<Page client={client} initialSession={factsFor('ada')} />);
    const bob = renderToString(<Page client={client} initialSession={factsFor('bob')} />);
    const nobody = renderToString(<Page client={client} initialSession={null} />);
    expect(ada).toContain('ada@example.test');
    expect(bob).toContain('bob@example.test');
    expect(bob).not.toContain('ada@');
    expect(nobody).toContain('Login form');
  });

  it('renders signed out for a server session with no user', () => {
    const { client } = recordedClient();
    const html = renderToString(<Page client={client} initialSession={{ nope: 1 } as never} />);
    expect(html).toContain('Login form');
  });
});
