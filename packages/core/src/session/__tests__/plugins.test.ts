import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchClient, type FetchClient } from '../../fetch/createFetchClient.js';
import { pluginOf } from '../../wireSession.js';
import { portOf } from '../devHandle.js';
import type { PluginContext, TokenlanePlugin } from '../plugin.js';

// The one plug-in protocol: what a plug-in is handed and how each of its hooks reaches the
// client, with plug-ins of the test's own (the shipped ones are tested in their entries).

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());
beforeEach(() => api.reset());

const clients: FetchClient[] = [];
const client = (plugins: TokenlanePlugin[], extra = {}) => {
  const made = createFetchClient({ baseURL: BASE, crossTab: false, plugins, ...extra });
  clients.push(made);
  return made;
};
afterEach(() => clients.splice(0).forEach((made) => made.dispose()));

describe('plug-ins', () => {
  it('wrap the auth calls in the order given, before the session exists', async () => {
    const order: string[] = [];
    const wrapping = (name: string): TokenlanePlugin => ({
      name,
      wrap: (parts) => ({
        ...parts,
        transport: {
          ...parts.transport,
          login: (credentials) => {
            order.push(name);
            return parts.transport.login(credentials);
          },
        },
      }),
    });
    const auth = client([wrapping('inner'), wrapping('outer')]);
    await auth.login({ email: USER.email, password: 'pw' });
    expect(order).toEqual(['outer', 'inner']);
  });

  it('are set up once with the session, its port, the profile and a way to end the session', async () => {
    const contexts: PluginContext[] = [];
    const auth = client([{ name: 'spy', setup: (context) => void contexts.push(context) }]);
    expect(contexts).toHaveLength(1);
    const [context] = contexts;
    expect(context!.port).toBe(portOf(auth));
    expect(context!.profile).toMatchObject({ refreshToken: 'cookie' });
    await auth.login({ email: USER.email, password: 'pw' });
    expect(context!.session.getState().status).toBe('authenticated');
    await context!.end('idle');
    expect(auth.getState().status).toBe('unauthenticated');
  });

  it('carry the token in the header a plug-in names, through the fetch it wraps', async () => {
    const seen: string[] = [];
    const auth = client([
      {
        name: 'scheme',
        setup: () => ({
          authorization: (token) => ['Authorization', `Bearer ${token}`],
          wrapFetch: (underlying, isAuthEndpoint) => (input, init) => {
            const url = input instanceof Request ? input.url : String(input);
            seen.push(`${isAuthEndpoint(url) ? 'auth' : 'api'} ${new URL(url).pathname}`);
            return underlying()(input, init);
          },
        }),
      },
    ]);
    await auth.login({ email: USER.email, password: 'pw' });
    const answer = await auth.fetch('/api/headers');
    expect(await answer.json()).toEqual({ auth: expect.stringMatching(/^Bearer A\d+$/) as string });
    expect(seen).toEqual(['auth /auth/login', 'api /api/headers']);
  });

  it('hold a refused answer a plug-in resolves, then send the request once more', async () => {
    let release = () => {};
    let heard: (status: number) => void = () => {};
    const held = new Promise<number>((resolve) => (heard = resolve));
    const auth = client([
      {
        name: 'hold',
        setup: () => ({
          retryAfter: ({ status, challenge }) => {
            if (status !== 401 || !challenge?.includes('insufficient_user_authentication')) return;
            heard(status);
            return new Promise<void>((resolve) => (release = resolve));
          },
        }),
      },
    ]);
    await auth.login({ email: USER.email, password: 'pw' });
    api.state.recentFrom = 100;
    const answer = auth.fetch('/api/step-up');
    expect(await held).toBe(401);
    api.state.recentFrom = 0;
    release();
    expect((await answer).status).toBe(200);
  });

  it("run their dispose with the client's, and are found by name", () => {
    let disposed = 0;
    const named: TokenlanePlugin = {
      name: 'named',
      setup: () => ({ dispose: () => void disposed++ }),
    };
    const auth = client([named]);
    expect(pluginOf(portOf(auth), 'named')).toBe(named);
    expect(pluginOf(portOf(auth), 'other')).toBeUndefined();
    auth.dispose();
    expect(disposed).toBe(1);
  });

  it('are also taken from the 0.1 options (dpop, stepUp, idle, trace), after `plugins`', () => {
    const names: string[] = [];
    const spy = (name: string): TokenlanePlugin => ({ name, setup: () => void names.push(name) });
    client([spy('given')], { stepUp: spy('stepUp'), idle: spy('idle'), trace: spy('trace') });
    expect(names).toEqual(['given', 'stepUp', 'idle', 'trace']);
  });
});
