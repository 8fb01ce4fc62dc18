import { describe, expect, it } from 'vitest';
import { AuthError } from '../../session/errors.js';
import type { TokenStorage } from '../../session/tokenStorage.js';
import { oauthServer } from '../oauthServer.js';
import type { OAuthServerOptions } from '../options.js';

// Issue 24, item 4: the parameters that carry the authorization request's integrity cannot be
// replaced through `authorizationParams`.

const items = new Map<string, string>();
const pkceStorage: TokenStorage = {
  getItem: (key) => items.get(key) ?? null,
  setItem: (key, value) => void items.set(key, value),
  removeItem: (key) => void items.delete(key),
};

const options = (authorizationParams?: Record<string, string>): OAuthServerOptions => ({
  issuer: 'https://id.example.test',
  clientId: 'spa',
  redirectUri: 'https://app.example.test/callback',
  endpoints: {
    authorization_endpoint: 'https://id.example.test/authorize',
    token_endpoint: 'https://id.example.test/token',
  },
  pkceStorage,
  ...(authorizationParams && { authorizationParams }),
});

const refusal = (name: string) =>
  expect.objectContaining({
    code: 'oauth_reserved_param',
    message: expect.stringContaining(`"${name}"`) as unknown,
  }) as unknown;

describe('oauthServer authorizationParams', () => {
  it('adds extra parameters to the authorization request beside the ones Tokenlane sets', async () => {
    const url = await oauthServer(options({ prompt: 'login', max_age: '0' })).authorizationUrl();
    const params = url.searchParams;
    expect(params.get('prompt')).toBe('login');
    expect(params.get('max_age')).toBe('0');
    expect(params.get('client_id')).toBe('spa');
    expect(params.get('code_challenge_method')).toBe('S256');
    const pending = JSON.parse(items.get('tokenlane:oauth:pkce')!) as { state: string };
    expect(params.get('state')).toBe(pending.state);
  });

  it.each([
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'code_challenge',
    'code_challenge_method',
  ])('refuses %s with an AuthError when the profile is made', (name) => {
    const make = () => oauthServer(options({ [name]: 'attacker' }));
    expect(make).toThrow(AuthError);
    expect(make).toThrow(refusal(name));
  });

  it('refuses a reserved parameter added to the options after the profile was made, and sends no request', async () => {
    const given = options({ prompt: 'login' });
    const server = oauthServer(given);
    items.clear();
    given.authorizationParams = { prompt: 'login', state: 'attacker' };
    await expect(server.authorizationUrl()).rejects.toEqual(refusal('state'));
    expect(items.size).toBe(0);
  });

  it('adds the parameters of one login (a step-up) over the profile ones, and refuses reserved ones there too', async () => {
    const server = oauthServer(options({ prompt: 'consent', max_age: '600' }));
    const stepUp = (await server.authorizationUrl({ max_age: '0', acr_values: 'mfa' }))
      .searchParams;
    expect([stepUp.get('prompt'), stepUp.get('max_age'), stepUp.get('acr_values')]).toEqual([
      'consent',
      '0',
      'mfa',
    ]);
    // Only that login: the next one is the profile's again.
    expect((await server.authorizationUrl()).searchParams.get('max_age')).toBe('600');
    await expect(server.authorizationUrl({ code_challenge: 'x' })).rejects.toEqual(
      refusal('code_challenge'),
    );
  });
});
