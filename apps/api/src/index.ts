import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** How often expired and revoked refresh families are deleted. */
const PURGE_INTERVAL_MS = 10 * 60_000;

/** How long in-flight requests get to finish on SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // OTEL=on: the SDK starts before the modules it instruments (express, http) are loaded.
  const otel = config.otel ? (await import('./otel.js')).startOtel() : undefined;
  const [{ attachLive, createApp }, { createHttpServer }, { seedDemoUsers }, { openStores }] =
    await Promise.all([
      import('./app.js'),
      import('./server.js'),
      import('./seed.js'),
      import('./store/index.js'),
    ]);
  const stores = await openStores(config);
  logger.info(
    { stores: Object.keys(stores.probes), migrated: stores.migrated ?? [] },
    'stores open',
  );
  await seedDemoUsers(stores.users);

  const app = createApp(config, stores, { logger });
  const purge = () =>
    Promise.all([
      stores.refresh.purge(Date.now()),
      stores.purgeLimits?.(Date.now()) ?? 0,
      stores.proofs.purge(Date.now()),
    ]).then(
      ([families, counters, proofs]) =>
        families + counters + proofs > 0 && logger.info({ families, counters, proofs }, 'purged'),
      (error: unknown) => logger.warn({ err: error }, 'purge failed'),
    );
  void purge();
  setInterval(() => void purge(), PURGE_INTERVAL_MS).unref();
  const server = createHttpServer(config, app);
  attachLive(server, app);
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    logger.info({ url: `http://${address}:${port}` }, 'Tokenlane API listening');
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // New connections are refused at once; requests in flight finish; then the pools close.
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      void Promise.all([stores.close(), otel?.shutdown()]).then(() => {
        clearTimeout(force);
        logger.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
