import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REUSE_DETECTION_DEPTH, type RefreshStore } from '../types.js';

/** Two instances of one backend (two API processes), and a user id they may use. */
export interface ContractStores {
  a: RefreshStore;
  b: RefreshStore;
  userId: string;
  close(): Promise<void>;
}

const GRACE_MS = 10_000;
const DAY_MS = 86_400_000;
const hash = () => randomBytes(16).toString('base64url');

/** The behaviour every refresh store must have; run once per backend. */
export function refreshStoreContract(name: string, open: () => Promise<ContractStores>) {
  describe(`RefreshStore contract: ${name}`, () => {
    let s: ContractStores;
    let now: number;
    beforeEach(async () => {
      s = await open();
      now = Date.now();
    });
    afterEach(() => s.close());

    async function family(expiresIn = DAY_MS) {
      const first = hash();
      const created = await s.a.createFamily({
        familyId: hash(),
        userId: s.userId,
        tokenHash: first,
        now,
        expiresAt: now + expiresIn,
      });
      return { first, created };
    }
    const rotate = (store: RefreshStore, tokenHash: string, at = now, newTokenHash = hash()) =>
      store
        .rotate({ tokenHash, newTokenHash, now: at, graceMs: GRACE_MS })
        .then((result) => ({ result, newTokenHash }));

    it('rotates a chain across instances: each newest token rotates once', async () => {
      const { first, created } = await family();
      let token = first;
      for (const [i, store] of [s.a, s.b, s.a].entries()) {
        const { result, newTokenHash } = await rotate(store, token, now + i);
        // (A store that keeps the users may add the family's user: see postgres.test.ts.)
        expect(result).toMatchObject({ kind: 'rotated', family: created });
        token = newTokenHash;
      }
    });

    it('accepts the immediate parent within the grace window without changing anything', async () => {
      const { first } = await family();
      const { newTokenHash: child } = await rotate(s.a, first);
      const grace = (await rotate(s.b, first, now + GRACE_MS - 1)).result;
      expect(grace.kind).toBe('grace');
      // The family's login time comes along (the auth_time of the renewed access token).
      expect(grace).toMatchObject({ family: { createdAt: now } });
      expect((await rotate(s.a, child, now + GRACE_MS)).result.kind).toBe('rotated');
    });

    it('revokes the family when an older token comes back, so even the newest fails', async () => {
      const { first } = await family();
      const { newTokenHash: second } = await rotate(s.a, first);
      const { newTokenHash: third } = await rotate(s.a, second);
      expect((await rotate(s.b, first)).result.kind).toBe('reused');
      expect((await rotate(s.a, third)).result.kind).toBe('invalid');
    });

    it('hands back the newest token, as sealed at its rotation, with a grace answer', async () => {
      const { first } = await family();
      const newTokenHash = hash();
      await s.a.rotate({
        tokenHash: first,
        newTokenHash,
        newTokenSealed: 'sealed-child',
        now,
        graceMs: GRACE_MS,
      });
      const again = await s.b.rotate({
        tokenHash: first,
        newTokenHash: hash(),
        newTokenSealed: 'never',
        now: now + 1,
        graceMs: GRACE_MS,
      });
      expect(again).toMatchObject({ kind: 'grace', currentSealed: 'sealed-child' });
    });

    it('keeps the newest REUSE_DETECTION_DEPTH hashes: one that recent is reuse, an older one only unknown', async () => {
      const { first } = await family();
      const chain = [first];
      for (let i = 0; i <= REUSE_DETECTION_DEPTH; i++) {
        const { newTokenHash } = await rotate(s.a, chain.at(-1)!, now + i);
        chain.push(newTokenHash);
      }
      // `first` is REUSE_DETECTION_DEPTH + 1 rotations old: forgotten, refused, nothing revoked.
      expect((await rotate(s.b, first, now + 500)).result.kind).toBe('invalid');
      expect((await rotate(s.b, chain.at(-1)!, now + 501)).result.kind).toBe('rotated');
      // The oldest hash still kept is reuse: the family is revoked.
      expect((await rotate(s.b, chain[3]!, now + 502)).result.kind).toBe('reused');
    });

    it('purges expired and revoked families, and nothing live', async () => {
      const live = await family();
      const expiring = await family(1_000);
      const revoked = await family();
      await s.a.revokeByToken(revoked.first, now);
      await s.a.purge(now + 2_000);
      expect((await rotate(s.b, expiring.first, now + 2_001)).result.kind).toBe('invalid');
      expect((await rotate(s.b, revoked.first, now + 2_001)).result.kind).toBe('invalid');
      expect((await rotate(s.b, live.first, now + 2_001)).result.kind).toBe('rotated');
      expect(await s.a.countActive(now + 2_001)).toBe(1);
    });

    it('revokes the family when the parent comes back after the grace window', async () => {
      const { first } = await family();
      const { newTokenHash: child } = await rotate(s.a, first);
      expect((await rotate(s.b, first, now + GRACE_MS + 1)).result.kind).toBe('reused');
      expect((await rotate(s.b, child, now + GRACE_MS + 2)).result.kind).toBe('invalid');
    });

    it('lets a family expire at its absolute lifetime', async () => {
      const { first } = await family(1_000);
      const { newTokenHash } = await rotate(s.a, first, now + 500);
      expect((await rotate(s.a, newTokenHash, now + 1_000)).result.kind).toBe('invalid');
    });

    it('logs out: a revoked family answers invalid, and no longer counts as active', async () => {
      const { first } = await family();
      const before = await s.b.countActive(now);
      await s.b.revokeByToken(first, now);
      expect((await rotate(s.a, first)).result.kind).toBe('invalid');
      expect(await s.a.countActive(now)).toBe(before - 1);
      await s.a.revokeByToken(hash(), now); // unknown: nothing happens
    });

    it('tells whose family a token belongs to (the newest, a rotated one, a revoked one) and changes nothing', async () => {
      const { first } = await family();
      const { newTokenHash: child } = await rotate(s.a, first);
      expect(await s.b.ownerOf(child)).toBe(s.userId);
      expect(await s.b.ownerOf(first)).toBe(s.userId);
      expect(await s.a.ownerOf(hash())).toBeUndefined();
      // Asking moved nothing: the child still rotates, the parent is still its parent.
      expect((await rotate(s.a, child, now + GRACE_MS + 1)).result.kind).toBe('rotated');
      await s.a.revokeByToken(child, now);
      expect(await s.b.ownerOf(child)).toBe(s.userId);
    });

    it('answers invalid for a token it never minted', async () => {
      expect((await rotate(s.a, hash())).result.kind).toBe('invalid');
    });

    it('serialises 50 concurrent refreshes of one family from two instances: one rotation, no false revocation', async () => {
      const { first } = await family();
      const attempts = await Promise.all(
        Array.from({ length: 50 }, (_, i) => rotate(i % 2 ? s.a : s.b, first, now + 1)),
      );
      const kinds = attempts.map(({ result }) => result.kind);
      expect(kinds.filter((kind) => kind === 'rotated')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'grace')).toHaveLength(49);
      const newest = attempts.find(({ result }) => result.kind === 'rotated')!.newTokenHash;
      // Exactly one valid newest token: it rotates; the 49 unused candidates were never minted.
      expect((await rotate(s.b, newest, now + 2)).result.kind).toBe('rotated');
      const unused = attempts.filter(({ newTokenHash }) => newTokenHash !== newest);
      expect((await rotate(s.a, unused[0]!.newTokenHash, now + 3)).result.kind).toBe('invalid');
    });
  });
}
