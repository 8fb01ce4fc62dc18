import type { Logger } from 'pino';
import { StoreUnavailableError } from '../store/errors.js';

/** How often revocations the store could not take are tried again, ms. */
export const REVOCATION_RETRY_MS = 1_000;
/** At most this many wait at once (hashes only): a flood of logouts during an outage is bounded. */
export const MAX_WAITING_REVOCATIONS = 10_000;

/**
 * Revokes families by a token's hash; when the store is down, keeps the hash (never the token) and
 * tries again every `REVOCATION_RETRY_MS` until the store takes it, so a logout the browser already
 * forgot (its cookie cleared) is still written once the store is back. Kept in this process: one
 * that stops before the store returns loses its list (the browser holds no cookie of it either).
 */
export function createRevocations(revoke: (hash: string) => Promise<void>, logger: Logger) {
  const waiting = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer !== undefined || waiting.size === 0) return;
    timer = setTimeout(() => void drain(), REVOCATION_RETRY_MS);
    timer.unref();
  };
  async function drain() {
    timer = undefined;
    for (const hash of [...waiting]) {
      try {
        await revoke(hash);
        waiting.delete(hash);
      } catch {
        break;
      }
    }
    if (waiting.size === 0) logger.info('pending revocations written');
    arm();
  }
  return {
    /** Revokes now, or as soon as the store is back; rejects only for other failures. */
    async revoke(hash: string) {
      try {
        await revoke(hash);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        if (waiting.size < MAX_WAITING_REVOCATIONS) waiting.add(hash);
        logger.warn({ waiting: waiting.size }, 'store unavailable: revocation kept for later');
        arm();
      }
    },
    /** How many revocations wait for the store. */
    waiting: () => waiting.size,
  };
}
