import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as entry from '../index.js';
import { typeCheck } from './typeCheck.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${root}/README.md`, 'utf8');
const snippets = [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('README', () => {
  it('type-checks every tsx snippet against the sources', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(7);
    const files = Object.fromEntries(snippets.map((code, index) => [`snippet-${index}.tsx`, code]));
    expect(typeCheck('readme', files)).toEqual([]);
  });

  it('documents every export of the root entry', () => {
    const runtime = Object.keys(entry);
    const types = [
      ...readFileSync(`${root}/src/client.ts`, 'utf8').matchAll(/export type \{([^}]+)\}/g),
      ...readFileSync(`${root}/src/index.ts`, 'utf8').matchAll(/export type \{([^}]+)\}/g),
    ]
      .flatMap((match) => match[1]!.split(','))
      .map((name) => name.trim())
      .filter(Boolean);
    expect(runtime.length).toBeGreaterThan(15);
    const documented = (name: string) =>
      readme.includes(`\`${name}`) || readme.includes(`### ${name}\n`);
    expect([...runtime, ...types].filter((name) => !documented(name))).toEqual([]);
  });
});
