// `npm run faults`: turns the rows the fault scenarios wrote into the Markdown fault table, in
// bench/results/faults.md and in the root README between its fault-table markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { FaultRow } from './scenario.js';

const [resultsDir = '.results', tableFile, readmeFile] = process.argv.slice(2);

const rows = readFileSync(join(resultsDir, 'rows.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as FaultRow)
  .sort((a, b) => a.stack.localeCompare(b.stack) || a.scenario.localeCompare(b.scenario));

const header = [
  'stack',
  'scenario',
  'users',
  'requests',
  'failed during the fault',
  'sessions lost',
  'false revocations',
  'time to recover (s)',
  'longest request (s)',
  '500s',
  'crashes',
  'max RSS (MiB)',
];
const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const table = [
  line(header),
  line(header.map((_, i) => (i < 2 ? '---' : '---:'))),
  ...rows.map((r) =>
    line([
      r.stack,
      r.scenario,
      r.users,
      r.requests,
      r.failedDuringFault,
      r.sessionsLost,
      r.falseRevocations,
      r.recoverSeconds.toFixed(1),
      r.longestRequestSeconds.toFixed(1),
      r.serverErrors,
      r.crashes,
      r.maxRssMiB,
    ]),
  ),
].join('\n');

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const lost = rows.reduce((sum, r) => sum + r.sessionsLost, 0);
const revoked = rows.reduce((sum, r) => sum + r.falseRevocations, 0);
const body = `Fault table, ${new Date().toISOString().slice(0, 10)} (${machine}): ${rows.length} scenarios, ${lost} sessions lost, ${revoked} false revocations. Access tokens live 3 s; every user sends \`GET /api/todos\` every 400 ms after its previous answer.

${table}
`;

if (tableFile) writeFileSync(tableFile, `# Faults\n\n${body}`);
if (readmeFile) {
  const start = '<!-- faults:start -->';
  const end = '<!-- faults:end -->';
  const readme = readFileSync(readmeFile, 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readmeFile} has no ${start} ... ${end} block`);
  writeFileSync(
    readmeFile,
    `${readme.slice(0, from + start.length)}\n\n${body}\n${readme.slice(to)}`,
  );
}
process.stdout.write(body);
