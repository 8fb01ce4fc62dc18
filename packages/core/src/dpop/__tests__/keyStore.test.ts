import { IDBFactory } from 'fake-indexeddb';
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { indexedDbKeyStore, memoryKeyStore } from '../keyStore.js';
import { createDpopProver } from '../prover.js';

const thumbprintOf = async (proof: string) =>
  calculateJwkThumbprint(decodeProtectedHeader(proof).jwk as JWK);

describe('DPoP key stores', () => {
  it('IndexedDB: two tabs (two stores on one database) that make a key at once end up with the same one, and it survives a reload', async () => {
    const browser = new IDBFactory();
    const [a, b] = [
      createDpopProver(indexedDbKeyStore(browser)),
      createDpopProver(indexedDbKeyStore(browser)),
    ];
    const url = 'https://api.example.test/api/todos';
    const [fromA, fromB] = await Promise.all([a.proof('GET', url), b.proof('GET', url)]);
    expect(await thumbprintOf(fromA)).toBe(await thumbprintOf(fromB));
    // A reload: a new prover on a new connection finds the same pair.
    const reloaded = createDpopProver(indexedDbKeyStore(browser));
    expect(await thumbprintOf(await reloaded.proof('GET', url))).toBe(await thumbprintOf(fromA));
  });

  it('IndexedDB keeps the private key non-extractable', async () => {
    const browser = new IDBFactory();
    const store = indexedDbKeyStore(browser);
    await createDpopProver(store).proof('GET', 'https://api.example.test/');
    const pair = await store.get();
    expect(pair?.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', pair!.privateKey)).rejects.toThrow();
  });

  it('forget() deletes the pair: the next proof is signed by a new key', async () => {
    for (const store of [memoryKeyStore(), indexedDbKeyStore(new IDBFactory())]) {
      const prover = createDpopProver(store);
      const url = 'https://api.example.test/';
      const before = await thumbprintOf(await prover.proof('GET', url));
      await prover.forget();
      expect(await store.get()).toBeUndefined();
      expect(await thumbprintOf(await prover.proof('GET', url))).not.toBe(before);
    }
  });
});

describe('DPoP prover', () => {
  it('signs what RFC 9449 asks: typ, ES256, the public key only, htm, htu without query, iat, jti, ath, the nonce of the origin', async () => {
    let now = 1_800_000_000_000;
    const prover = createDpopProver(memoryKeyStore(), () => now);
    prover.observe('https://api.example.test/auth/login', 'n-1');
    const proof = await prover.proof('get', 'https://api.example.test/api/todos?limit=5#x', 'tok');
    const header = decodeProtectedHeader(proof);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'dpop+jwt' });
    expect(Object.keys(header.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const claims = JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const ath = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('tok')),
    ).toString('base64url');
    expect(claims).toMatchObject({
      htm: 'GET',
      htu: 'https://api.example.test/api/todos',
      iat: 1_800_000_000,
      ath,
      nonce: 'n-1',
    });
    expect(claims.jti).toMatch(/^[\w-]{36}$/);
    const other = await prover.proof('GET', 'https://elsewhere.example.test/');
    expect(
      JSON.parse(Buffer.from(other.split('.')[1]!, 'base64url').toString()),
    ).not.toHaveProperty('nonce');
    // A nonce goes stale a minute after the last answer that carried it.
    expect(prover.isStale('https://api.example.test')).toBe(false);
    now += 60_001;
    expect(prover.isStale('https://api.example.test')).toBe(true);
    expect(prover.isStale('https://elsewhere.example.test')).toBe(false);
  });
});
