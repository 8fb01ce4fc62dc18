import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { createBffServer } from './app.js';

const config = loadConfig();
const { server, bff } = await createBffServer(config);
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `BFF listening on http://${config.host}:${port} for ${config.origin} (${config.upstream} upstream, ${config.store} store)\n`,
  );
});
const stop = () => {
  server.close(() => void bff.close().then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
