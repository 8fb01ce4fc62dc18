import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDpopFetch, createNonceProbes } from '../dpopFetch.js';
import { memoryKeyStore } from '../keyStore.js';
import { createDpopProver } from '../prover.js';

/** A `fetch` that answers 200 with what it was sent: its DPoP header and its body. */
const echo: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  return Response.json({ dpop: request.headers.get('dpop'), body: await request.text() });
};

afterEach(() => vi.unstubAllGlobals());

describe('createDpopFetch', () => {
  const prover = createDpopProver(memoryKeyStore());
  const dpopFetch = createDpopFetch(
    prover,
    createNonceProbes(prover),
    () => echo,
    (url) => url.endsWith('/auth/refresh'),
  );

  it('passes a Request with a body that needs no proof on intact (no DPoP header, the body sent)', async () => {
    const request = new Request('https://elsewhere.example.test/upload', {
      method: 'POST',
      body: 'kept',
    });
    const answer = (await (await dpopFetch(request)).json()) as { dpop: unknown; body: string };
    expect(answer).toEqual({ dpop: null, body: 'kept' });
  });

  it('signs a Request with a body that needs a proof, and sends its body', async () => {
    const request = new Request('https://api.example.test/auth/refresh', {
      method: 'POST',
      body: '{}',
    });
    const answer = (await (await dpopFetch(request)).json()) as { dpop: string; body: string };
    expect(answer.dpop.split('.')).toHaveLength(3);
    expect(answer.body).toBe('{}');
  });

  it('in a page, signs a path relative to it (a relative baseURL) for the page origin', async () => {
    vi.stubGlobal('location', new URL('https://app.example.test/todos?x=1'));
    // `fetch` resolves a path against the page; Node's needs it absolute.
    const pageFetch = createDpopFetch(
      prover,
      createNonceProbes(prover),
      () => (input, init) => echo(new URL(input as string, 'https://app.example.test'), init),
      (url) => url.endsWith('/auth/refresh'),
    );
    const answer = (await (
      await pageFetch('/auth/refresh', { method: 'POST', body: '{}' })
    ).json()) as { dpop: string };
    expect(decodeJwt(answer.dpop)).toMatchObject({
      htm: 'POST',
      htu: 'https://app.example.test/auth/refresh',
    });
  });
});
