import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { README_PATH, readmeSnippets } from './readmeSnippets.js';
import { exportedNames, typeCheck } from './typeCheck.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(README_PATH, 'utf8');
const snippets = readmeSnippets(readme);

describe('README', () => {
  it('shows the testing example exactly as the suite runs it', () => {
    const example = readFileSync(`${root}/src/testing/__tests__/readmeExample.test.tsx`, 'utf8');
    expect(readme).toContain(`\`\`\`tsx\n${example}\`\`\``);
  });

  it('shows the simulator example exactly as the suite runs it', () => {
    const example = readFileSync(
      `${root}/../core/src/testing/__tests__/simulatorExample.test.ts`,
      'utf8',
    );
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('shows the users example exactly as the suite runs it', () => {
    const example = readFileSync(
      `${root}/../core/src/testing/__tests__/simulatorUsersExample.test.ts`,
      'utf8',
    );
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('type-checks every tsx snippet against the sources', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(7);
    const files = Object.fromEntries(snippets.map((code, index) => [`snippet-${index}.tsx`, code]));
    expect(typeCheck('readme', files)).toEqual([]);
  });

  it.each([
    'src/index.ts',
    'src/client.ts',
    'src/fetch.ts',
    'src/profiles.ts',
    'src/oauth.ts',
    'src/dpop.ts',
    'src/stepUp.ts',
    'src/sessionEnd.ts',
    'src/idle.ts',
    'src/otel.ts',
    'src/testing.ts',
    'src/devtools.ts',
  ])('documents every export of %s', (entry) => {
    const names = exportedNames(entry);
    expect(names.length).toBeGreaterThan(1);
    const documented = (name: string) =>
      readme.includes(`\`${name}`) || readme.includes(`### ${name}\n`);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });
});
