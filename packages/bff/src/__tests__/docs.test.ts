import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The BFF guide: every server snippet compiles against the package's sources, and every name an
// entry exports is named in it (the reference documents each from its JSDoc).
const root = fileURLToPath(new URL('../..', import.meta.url));
const guide = readFileSync(
  fileURLToPath(new URL('../../../../docs/guide/bff.md', import.meta.url)),
  'utf8',
);
const ENTRIES = ['index', 'node', 'redis', 'postgres'];

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  baseUrl: root,
  paths: {
    '@tokenlane/bff': ['src/index.ts'],
    '@tokenlane/bff/*': ['src/*.ts'],
  },
};

describe('the BFF guide', () => {
  it('type-checks every ts snippet against the sources', () => {
    const snippets = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    const dir = `${root}/.type-check/guide`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/package.json`, '{ "type": "module" }');
    const files = snippets.map((code, index) => {
      writeFileSync(`${dir}/bff-${index}.ts`, code);
      return `${dir}/bff-${index}.ts`;
    });
    const program = ts.createProgram(files, options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
    // The TypeScript compiler: CPU-bound, and in `npm test` it shares 2 cores with another suite.
  }, 120_000);

  it.each(ENTRIES)('names every export of %s', (entry) => {
    const file = `${root}/src/${entry}.ts`;
    const program = ts.createProgram([file], options);
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const names = checker
      .getExportsOfModule(checker.getSymbolAtLocation(source)!)
      .map((s) => s.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !guide.includes(`\`${name}`))).toEqual([]);
  });
});
