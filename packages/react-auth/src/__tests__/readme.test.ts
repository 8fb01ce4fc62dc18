import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import * as entry from '../index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${root}/README.md`, 'utf8');
const snippets = [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!);
const outDir = `${root}/.readme-check`;
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('README', () => {
  it('type-checks every tsx snippet against the sources', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(7);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const files = snippets.map((code, index) => {
      const file = `${outDir}/snippet-${index}.tsx`;
      writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
      baseUrl: root,
      paths: {
        '@tokenlane/react-auth': ['src/index.ts'],
        '@tokenlane/react-auth/client': ['src/client.ts'],
        '@tokenlane/react-auth/testing': ['src/testing.ts'],
      },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.replace(outDir, 'snippet')}:`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
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
