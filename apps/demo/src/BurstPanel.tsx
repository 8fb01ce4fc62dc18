import { useAuthClient } from '@tokenlane/react-auth';
import { expireAccessToken } from '@tokenlane/react-auth/testing';
import { useState } from 'react';
import { useDemoApi } from './demoApi.js';

const BURST = 50;

interface Result {
  succeeded: number;
  refreshes: number;
  ms: number;
}

export function BurstPanel() {
  const demo = useDemoApi();
  const client = useAuthClient();
  const [result, setResult] = useState<Result | null>(null);
  const [running, setRunning] = useState(false);
  // Right after login the token is fresh and a burst needs no refresh at all: expiring it first
  // shows what the panel is about, on the first click.
  const [expireFirst, setExpireFirst] = useState(true);

  async function fire() {
    setRunning(true);
    let refreshes = 0;
    const stop = client.on('refresh-start', () => refreshes++);
    if (expireFirst) expireAccessToken(client);
    const started = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: BURST }, () => demo.firstPage()));
    stop();
    setResult({
      succeeded: settled.filter((r) => r.status === 'fulfilled').length,
      refreshes,
      ms: Math.round(performance.now() - started),
    });
    setRunning(false);
  }

  return (
    <section className="card" aria-labelledby="burst-title">
      <h2 id="burst-title">Burst</h2>
      <p className="muted">
        {BURST} requests at once over <code>client.{demo.transport}</code>. With an expired token,
        naive interceptors fire {BURST} refreshes; Tokenlane fires one and completes every request.
      </p>
      <label className="check">
        <input
          type="checkbox"
          data-testid="burst-expire-first"
          checked={expireFirst}
          onChange={(event) => setExpireFirst(event.target.checked)}
        />{' '}
        Expire the access token first
      </label>
      <button
        type="button"
        data-testid="burst-button"
        onClick={() => void fire()}
        disabled={running}
      >
        {running ? 'Firing…' : `Fire ${BURST} parallel requests`}
      </button>
      <p data-testid="burst-result" className="result" aria-live="polite">
        {result
          ? `${result.succeeded}/${BURST} succeeded · ${result.refreshes} refresh call${result.refreshes === 1 ? '' : 's'} · ${result.ms} ms`
          : ''}
      </p>
    </section>
  );
}
