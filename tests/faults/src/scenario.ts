import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { faults, sleep } from './faults.js';
import { startStack, type Stack, type StackOptions } from './stack.js';
import { startUsers, type Users } from './users.js';

/** One line of the fault table. */
export interface FaultRow {
  scenario: string;
  stack: string;
  users: number;
  /** Requests the users sent during the scenario. */
  requests: number;
  /** Requests that failed from the fault's start until every user was served again. */
  failedDuringFault: number;
  /** Requests that failed afterwards (must be 0). */
  failedAfter: number;
  /** The failures by error class. */
  errors: Record<string, number>;
  sessionsLost: number;
  falseRevocations: number;
  /** From the fault's end until every user had been served again, seconds. */
  recoverSeconds: number;
  /** The longest request of a user, seconds (every request ends; a refresh's retries included). */
  longestRequestSeconds: number;
  /** The longest an instance took to answer, seconds. */
  longestAnswerSeconds: number;
  /** 5xx other than 503, plus 503s without `Retry-After`. */
  serverErrors: number;
  /** The largest resident memory of an instance at the end, MiB. */
  maxRssMiB: number;
  /** Instances that exited without being stopped or killed by the test. */
  crashes: number;
}

/** After the fault ends, every user is served again within this bound. */
export const RECOVERY_BOUND_MS = 15_000;
/** Steady use before the fault, and after recovery. */
const STEADY_MS = 3_000;
/** An instance's resident memory stays below this (a leak over a scenario would pass it). */
export const RSS_BOUND_MIB = 400;

const serverErrors = (stack: Stack) =>
  [...stack.balancer.counts.byStatus].reduce(
    (sum, [status, n]) => sum + (status >= 500 && status !== 503 ? n : 0),
    stack.balancer.counts.unavailableWithoutRetryAfter,
  );

/** A stack and its users, for the scenarios of one test file. */
export interface Scene {
  readonly stack: Stack;
  readonly users: Users;
}

/**
 * Starts a stack and 20 users in steady use before the file's tests, and stops them after (every
 * request must have ended). The users live through every scenario of the file, in turn: a session
 * that survives one fault must survive the next.
 */
export function sceneFor(
  options: StackOptions | (() => Promise<Stack>),
  usersOptions: Parameters<typeof startUsers>[1] = {},
): Scene {
  let stack: Stack | undefined;
  let users: Users | undefined;
  beforeAll(async () => {
    stack = typeof options === 'function' ? await options() : await startStack(options);
    users = await startUsers(stack.balancer.url, usersOptions);
  });
  afterAll(async () => {
    const stopped = await users?.stop();
    await stack?.close();
    expect(stopped?.hung ?? 0, 'requests still in flight at the end').toBe(0);
  });
  return {
    get stack() {
      return stack!;
    },
    get users() {
      return users!;
    },
  };
}

/**
 * Runs one scenario on users in steady use: steady use, `inject` (which returns once the fault is
 * over), then waits until every user has been served again, then steady use again. Measures the
 * row; `FAULT_RESULTS` (a folder) collects the rows for `npm run faults`.
 */
export async function runScenario(
  scenario: string,
  { stack, users }: Scene,
  inject: () => Promise<void>,
): Promise<FaultRow> {
  const revocationsBefore = stack.reuseDetections();
  const errorsBefore = serverErrors(stack);
  const lostBefore = users.list.filter((u) => u.expirations > 0).length;
  const crashesBefore = stack.crashes().length;
  stack.balancer.counts.longestAnswerMs = 0;
  const begin = Date.now();
  await sleep(STEADY_MS);
  const faultStart = Date.now();
  await inject();
  const faultEnd = Date.now();
  const servedSince = (since: number) =>
    users.list.every((u) => u.outcomes.some((o) => o.ok && o.start >= since));
  while (!servedSince(faultEnd) && Date.now() - faultEnd < RECOVERY_BOUND_MS) await sleep(100);
  const recovered = servedSince(faultEnd)
    ? Math.max(...users.list.map((u) => u.outcomes.find((o) => o.ok && o.start >= faultEnd)!.end))
    : Number.POSITIVE_INFINITY;
  const afterRecovery = Date.now();
  await sleep(STEADY_MS);
  const end = Date.now();

  const outcomes = users.list.flatMap((u) => u.outcomes.filter((o) => o.start >= begin));
  const inFlight = users.list.flatMap((u) =>
    u.inFlightSince === undefined ? [] : [u.inFlightSince],
  );
  const row: FaultRow = {
    scenario,
    stack: stack.name,
    users: users.list.length,
    requests: outcomes.length,
    failedDuringFault: outcomes.filter(
      (o) => !o.ok && o.end >= faultStart && o.start < afterRecovery,
    ).length,
    failedAfter: outcomes.filter((o) => !o.ok && o.start >= afterRecovery).length,
    errors: outcomes.reduce<Record<string, number>>((kinds, o) => {
      if (!o.ok) kinds[o.error ?? 'unknown'] = (kinds[o.error ?? 'unknown'] ?? 0) + 1;
      return kinds;
    }, {}),
    sessionsLost:
      users.list.filter((u) => u.expirations > 0 || u.client.getState().status !== 'authenticated')
        .length - lostBefore,
    falseRevocations: stack.reuseDetections() - revocationsBefore,
    recoverSeconds: Math.max(0, recovered - faultEnd) / 1000,
    longestRequestSeconds:
      Math.max(...outcomes.map((o) => o.end - o.start), ...inFlight.map((since) => end - since)) /
      1000,
    longestAnswerSeconds: stack.balancer.counts.longestAnswerMs / 1000,
    serverErrors: serverErrors(stack) - errorsBefore,
    maxRssMiB: Math.round(Math.max(...stack.rssMiB())),
    crashes: stack.crashes().length - crashesBefore,
  };
  // What a crashed instance said last, for the failure message.
  stack
    .crashes()
    .slice(crashesBefore)
    .forEach((crash) => process.stderr.write(`${crash}\n`));
  const folder = process.env.FAULT_RESULTS;
  if (folder) {
    mkdirSync(folder, { recursive: true });
    appendFileSync(join(folder, 'rows.jsonl'), `${JSON.stringify(row)}\n`);
  }
  return row;
}

/**
 * The invariants every scenario asserts: no session lost, no false revocation, no instance
 * crashed, no 500 (a 503
 * always with `Retry-After`), every request ended within `longestRequestSeconds` and every
 * answer within `longestAnswerSeconds`, every user served again within the recovery bound and
 * nothing failing after it, memory bounded.
 */
export function expectInvariants(
  row: FaultRow,
  { longestRequestSeconds = 30, longestAnswerSeconds = 15 } = {},
): void {
  expect(row, JSON.stringify(row)).toMatchObject({
    sessionsLost: 0,
    falseRevocations: 0,
    serverErrors: 0,
    failedAfter: 0,
    crashes: 0,
  });
  expect(row.recoverSeconds, 'every user served again').toBeLessThanOrEqual(
    RECOVERY_BOUND_MS / 1000,
  );
  expect(row.longestRequestSeconds, 'every request ends').toBeLessThanOrEqual(
    longestRequestSeconds,
  );
  expect(row.longestAnswerSeconds, 'every answer comes').toBeLessThanOrEqual(longestAnswerSeconds);
  expect(row.maxRssMiB).toBeGreaterThan(0);
  expect(row.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
}

/** The Postgres outages, on any stack with Postgres: unreachable for 2 s, stopped for 30 s. */
export function postgresOutages(scene: Scene): void {
  it('Postgres unreachable for 2 s', async () => {
    const row = await runScenario('Postgres unreachable 2 s', scene, () =>
      faults.postgresUnreachable(scene.stack, 2_000),
    );
    expectInvariants(row);
  });

  it('Postgres stopped for 30 s (with Redis: the rotation commits there, the user read fails; the lost answer is recovered)', async () => {
    const row = await runScenario('Postgres stopped 30 s', scene, () =>
      faults.postgresStopped(scene.stack, 30_000),
    );
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });
}
