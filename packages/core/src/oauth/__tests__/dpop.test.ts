import { decodeProtectedHeader, decodeJwt, calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthRequestError } from '../../session/errors.js';
import type { PostJson } from '../../session/authCalls.js';
import { dpop, memoryKeyStore } from '../../dpop.js';
import { oauthDpop } from '../oauthDpop.js';
import { oauthServer } from '../oauthServer.js';

// Issue 24: the OAuth profile's token calls carry oauth4webapi's own DPoP proofs (signed with the
// client's key pair), and a nonce asked for is sent once more, once. The provider here is a stub
// `fetch`: oidc-provider (tests/integration) cannot be told to ask for a nonce twice in a row.

const TOKEN_ENDPOINT = 'https://id.example.test/token';
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const tokens = { access_token: 'at', token_type: 'DPoP', expires_in: 60, refresh_token: 'rt2' };
const askNonce = (nonce: string) =>
  json({ error: 'use_dpop_nonce', error_description: 'nonce' }, 400, { 'DPoP-Nonce': nonce });

function setup(answers: Response[], withDpop = true) {
  const sent: Request[] = [];
  const profile = oauthServer({
    issuer: 'https://id.example.test',
    clientId: 'spa',
    redirectUri: 'https://app.example.test/callback',
    endpoints: {
      authorization_endpoint: 'https://id.example.test/authorize',
      token_endpoint: TOKEN_ENDPOINT,
    },
    pkceStorage: { getItem: () => null, setItem: () => {}, removeItem: () => {} },
    dpop: oauthDpop,
    fetch: (input, init) => {
      sent.push(new Request(input, init));
      return Promise.resolve(answers.shift() ?? json({ error: 'server_error' }, 500));
    },
  });
  const key = dpop({ keys: memoryKeyStore() });
  const calls = profile.calls!(undefined as unknown as PostJson, withDpop ? key : undefined);
  const thumbprint = async () => {
    const { x, y } = (await crypto.subtle.exportKey('jwk', (await key.keyPair()).publicKey)) as JWK;
    return calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
  };
  return { profile, calls, sent, thumbprint };
}

const proofOf = (request: Request) => {
  const proof = request.headers.get('dpop') ?? '';
  return { header: decodeProtectedHeader(proof), claims: decodeJwt(proof) };
};

describe('oauthServer with DPoP', () => {
  it("signs the refresh grant with the client's key (oauth4webapi's proof: typ, jwk, htm, htu)", async () => {
    const { calls, sent, thumbprint } = setup([json(tokens)]);
    expect(await calls.refresh('rt1')).toMatchObject({ accessToken: 'at', refreshToken: 'rt2' });
    expect(sent).toHaveLength(1);
    const { header, claims } = proofOf(sent[0]!);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(await calculateJwkThumbprint(header.jwk!)).toBe(await thumbprint());
    expect(claims).toMatchObject({ htm: 'POST', htu: TOKEN_ENDPOINT });
    expect(claims.nonce).toBeUndefined();
  });

  it('sends the grant once more with the nonce the provider asked for', async () => {
    const { calls, sent } = setup([askNonce('n-1'), json(tokens)]);
    expect(await calls.refresh('rt1')).toMatchObject({ accessToken: 'at' });
    expect(sent.map((request) => proofOf(request).claims.nonce)).toEqual([undefined, 'n-1']);
    // The same grant, the same refresh token: a nonce retry is not a second refresh.
    const bodies = await Promise.all(sent.map((request) => request.text()));
    expect(bodies[0]).toBe(bodies[1]);
  });

  it('asks once only: a second nonce refusal fails the call with the provider error', async () => {
    const { calls, sent } = setup([askNonce('n-1'), askNonce('n-2'), json(tokens)]);
    const error = await calls.refresh('rt1').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AuthRequestError);
    expect(error).toMatchObject({ code: 'use_dpop_nonce' });
    expect(sent).toHaveLength(2);
  });

  it('does not send again on another refusal', async () => {
    const { calls, sent } = setup([json({ error: 'invalid_grant' }, 400), json(tokens)]);
    await expect(calls.refresh('rt1')).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(sent).toHaveLength(1);
  });

  it('binds the authorization code to the key (dpop_jkt), and without DPoP sends no proof', async () => {
    const bound = setup([]);
    const url = await bound.profile.authorizationUrl();
    expect(url.searchParams.get('dpop_jkt')).toBe(await bound.thumbprint());

    const plain = setup([json({ ...tokens, token_type: 'Bearer' })], false);
    expect((await plain.profile.authorizationUrl()).searchParams.has('dpop_jkt')).toBe(false);
    await plain.calls.refresh('rt1');
    expect(plain.sent[0]!.headers.has('dpop')).toBe(false);
  });

  it("reads how long the session lives from the provider's refresh_expires_in (0 means not said)", async () => {
    const said = setup([json({ ...tokens, refresh_expires_in: 1800 })], false);
    expect(await said.calls.refresh('rt1')).toMatchObject({ sessionExpiresIn: 1800 });
    const offline = setup([json({ ...tokens, refresh_expires_in: 0 })], false);
    expect((await offline.calls.refresh('rt1')).sessionExpiresIn).toBeUndefined();
  });
});
