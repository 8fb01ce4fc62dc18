import type { BrowserRecord } from './browserRecord.js';
import { AuthRequestError } from './errors.js';
import { createRetryTimer } from './retryTimer.js';
import type { Runtime } from './runtime.js';
import { RESTORE_RETRY_MS } from './sessionOptions.js';
import type { AuthTransport } from './types.js';

/** An answer that settles a sign-out: the server took it, or refused it for good (a 4xx). */
const settles = (error: unknown) =>
  error instanceof AuthRequestError && error.status !== undefined && error.status < 500;

/**
 * A sign-out the server has not confirmed yet: told again (after `RESTORE_RETRY_MS`, and on wake)
 * until the server answers. The browser's record says it is pending, so no tab restores the
 * session meanwhile, and a new page takes over the telling.
 */
export function createPendingSignOut(
  runtime: Runtime,
  record: BrowserRecord,
  transport: Pick<AuthTransport<unknown, never>, 'logout'>,
  inBody: boolean,
) {
  let seq = -1;
  /** With refresh tokens in the body: the one to revoke (a cookie is sent by the browser). */
  let refreshToken: string | null = null;
  const retry = createRetryTimer(runtime, RESTORE_RETRY_MS, () => void tell());
  const done = () => {
    record.confirm(seq);
    refreshToken = null;
    retry.disarm(true);
  };
  async function tell() {
    const now = record.read();
    // A sign-in since replaced the cookie: a logout now would end the new session, not this one.
    if (!inBody && (now.seq !== seq || !now.pending)) return retry.disarm(true);
    await transport
      .logout(refreshToken)
      .then(done, (error: unknown) => (settles(error) ? done() : retry.arm()));
  }
  return {
    /** Tells the server of the sign-out at `seq` (revoking `token`, in the body); resolves after the first try. */
    start(atSeq: number, token: string | null) {
      seq = atSeq;
      refreshToken = token;
      retry.disarm(true);
      return tell();
    },
    dispose: () => retry.dispose(),
  };
}
