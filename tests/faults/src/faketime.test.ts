import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FAKETIME_INSTALL, skewedClock } from './stack.js';

describe('skewed clocks', () => {
  it('fail with the install line when faketime is missing', () => {
    expect(() => skewedClock('+3s', '/nonexistent/faketime')).toThrow(FAKETIME_INSTALL);
    expect(FAKETIME_INSTALL).toContain('apt-get install -y faketime');
  });

  it("shift the clock of a node process by the offset (the pid is node's own)", () => {
    const run = spawnSync(
      process.execPath,
      ['-e', 'process.stdout.write(JSON.stringify({ now: Date.now(), pid: process.pid }))'],
      { env: { ...process.env, ...skewedClock('-30s') }, encoding: 'utf8' },
    );
    const { now, pid } = JSON.parse(run.stdout) as { now: number; pid: number };
    expect(pid).toBe(run.pid);
    expect(Date.now() - now).toBeGreaterThan(29_000);
    expect(Date.now() - now).toBeLessThan(40_000);
  });
});
