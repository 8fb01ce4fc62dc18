// Preloaded into an API process by the cost benchmark (NODE_OPTIONS=--import): counts what the
// process asks of its stores, as it asks it. Postgres: statements sent (pg's Client.query, each one
// round trip); Redis: commands sent (ioredis's sendCommand; the API pipelines none, so each is one
// round trip); SQLite: statements run (in process, no round trip). On SIGUSR2 it writes the counts
// and the process's CPU time (µs) to COUNTS_FILE, and the part of it spent while a password hash was
// being computed (scrypt runs on libuv's pool: with one login at a time, the CPU used between its
// call and its callback is the hash's).
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(`${process.env.COUNT_FROM}/package.json`);
const counts = { postgres: 0, redis: 0, sqlite: 0, scryptUs: 0 };
const counted = (proto, method, store) => {
  const original = proto[method];
  proto[method] = function (...args) {
    counts[store]++;
    return original.apply(this, args);
  };
};
counted(require('pg').Client.prototype, 'query', 'postgres');
counted(require('ioredis').Redis.prototype, 'sendCommand', 'redis');
const Database = require('better-sqlite3');
const probe = new Database(':memory:');
const statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
for (const method of ['run', 'get', 'all', 'iterate']) counted(statement, method, 'sqlite');
probe.close();

const cpuUs = () => {
  const cpu = process.cpuUsage();
  return cpu.user + cpu.system;
};
const { scrypt } = crypto;
crypto.scrypt = (password, salt, keylen, options, callback) => {
  const started = cpuUs();
  scrypt(password, salt, keylen, options, (error, key) => {
    counts.scryptUs += cpuUs() - started;
    callback(error, key);
  });
};
syncBuiltinESMExports();

process.on('SIGUSR2', () => {
  const cpu = process.cpuUsage();
  writeFileSync(
    process.env.COUNTS_FILE,
    JSON.stringify({ ...counts, cpuUs: cpu.user + cpu.system }),
  );
});
