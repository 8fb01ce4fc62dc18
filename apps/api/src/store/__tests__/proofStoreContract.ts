import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProofStore } from '../types.js';

/** Two handles on one store (two instances' connections), and how to release them. */
export interface ContractProofStores {
  a: ProofStore;
  b: ProofStore;
  close(): Promise<void>;
}

/** The DPoP proofs seen: every store keeps a proof once, across instances, until it expires. */
export function proofStoreContract(name: string, open: () => Promise<ContractProofStores>) {
  describe(`ProofStore contract: ${name}`, () => {
    let stores: ContractProofStores;
    beforeEach(async () => {
      stores = await open();
    });
    afterEach(() => stores.close());

    it('takes a proof once, and refuses it from another instance while it lives', async () => {
      const key = randomUUID();
      const now = Date.now();
      expect(await stores.a.remember(key, now + 60_000, now)).toBe(true);
      expect(await stores.b.remember(key, now + 60_000, now + 1)).toBe(false);
      expect(await stores.a.remember(key, now + 60_000, now + 2)).toBe(false);
      expect(await stores.b.remember(randomUUID(), now + 60_000, now)).toBe(true);
    });

    it('takes the same key again once its entry has expired', async () => {
      const key = randomUUID();
      const now = Date.now();
      expect(await stores.a.remember(key, now + 5, now)).toBe(true);
      // Redis expires keys on its own clock: wait the few milliseconds for real.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await stores.b.remember(key, Date.now() + 60_000, Date.now())).toBe(true);
      expect(await stores.a.remember(key, Date.now() + 60_000, Date.now())).toBe(false);
    });

    it('of many concurrent attempts with one key, exactly one is taken', async () => {
      const key = randomUUID();
      const now = Date.now();
      const taken = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? stores.a : stores.b).remember(key, now + 60_000, now),
        ),
      );
      expect(taken.filter(Boolean)).toHaveLength(1);
    });

    it('purge deletes expired entries where they do not expire by themselves, and keeps live ones', async () => {
      const now = Date.now();
      const live = randomUUID();
      await stores.a.remember(randomUUID(), now + 5, now);
      await stores.a.remember(live, now + 60_000, now);
      await stores.a.purge(now + 10);
      expect(await stores.b.remember(live, now + 60_000, now + 20)).toBe(false);
    });
  });
}
