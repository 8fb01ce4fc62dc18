import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP proxy between a process and what it talks to, that a test turns faulty; see `startFaultProxy`. */
export interface FaultProxy {
  /** The loopback port to connect to instead of the target's. */
  port: number;
  /** `url` with its port replaced by the proxy's (a `postgres://` or `redis://` URL). */
  via(url: string): string;
  /** An outage: new connections are refused and every open one is reset, until `heal()`. */
  refuse(): Promise<void>;
  /**
   * A black hole: connections are accepted and nothing goes through either way (held, as a
   * network partition holds packets), until `heal()`, when what was held goes on.
   */
  blackhole(): void;
  /** Every chunk, both ways, is delayed by `ms` from now on. */
  latency(ms: number): void;
  /** Back to a plain proxy. */
  heal(): Promise<void>;
  /** Connections opened through the proxy so far. */
  connections(): number;
  close(): Promise<void>;
}

/** One direction of one connection: chunks go out in order, each after the delay in force. */
function createPipe(destination: Socket, held: () => boolean, delay: () => number) {
  const queue: Array<{ chunk: Buffer; due: number }> = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    if (held() || destination.destroyed) return;
    const now = Date.now();
    while (queue.length > 0 && queue[0]!.due <= now) destination.write(queue.shift()!.chunk);
    if (queue.length > 0 && !timer) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, queue[0]!.due - now);
    }
  };
  return {
    push(chunk: Buffer) {
      queue.push({ chunk, due: Date.now() + delay() });
      pump();
    },
    pump,
    stop: () => clearTimeout(timer),
  };
}

/**
 * A small TCP proxy on a free loopback port in front of `target` (host and port), written for the
 * fault tests: an outage (connections refused, open ones reset), a black hole (accepted, never
 * answered), added latency, and healing. Node's `net` only.
 */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: 'pass' | 'refuse' | 'blackhole' = 'pass';
  let delayMs = 0;
  let opened = 0;
  const live = new Set<{ client: Socket; upstream: Socket; pumps: Array<() => void> }>();
  const onConnection = (client: Socket) => {
    opened++;
    const upstream = connect(target.port, target.host);
    const held = () => mode === 'blackhole';
    const toUpstream = createPipe(upstream, held, () => delayMs);
    const toClient = createPipe(client, held, () => delayMs);
    const entry = { client, upstream, pumps: [toUpstream.pump, toClient.pump] };
    live.add(entry);
    client.on('data', (chunk: Buffer) => toUpstream.push(chunk));
    upstream.on('data', (chunk: Buffer) => toClient.push(chunk));
    const end = () => {
      live.delete(entry);
      toUpstream.stop();
      toClient.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    port,
    via(url) {
      const next = new URL(url);
      next.hostname = '127.0.0.1';
      next.port = String(port);
      return next.href;
    },
    async refuse() {
      if (mode === 'refuse') return;
      mode = 'refuse';
      const closing = stopListening();
      for (const { client, upstream } of live) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      await closing;
    },
    blackhole() {
      mode = 'blackhole';
    },
    latency(ms) {
      delayMs = ms;
    },
    async heal() {
      if (mode === 'refuse') {
        server = createServer(onConnection);
        await listen(port);
      }
      mode = 'pass';
      for (const entry of live) entry.pumps.forEach((pump) => pump());
    },
    connections: () => opened,
    async close() {
      mode = 'refuse';
      for (const { client, upstream } of live) {
        client.destroy();
        upstream.destroy();
      }
      if (server.listening) await stopListening();
    },
  };
}
