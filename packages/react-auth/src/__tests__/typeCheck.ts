import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** How `typeCheck` compiles. */
interface TypeCheckOptions {
  /** As if axios were not installed: any import of it, types included, fails to resolve. */
  withoutAxios?: boolean;
  /**
   * Module paths instead of the package's entries mapped to its sources: the built package then
   * resolves as an app's would, and these map its peers (`tests/lowest-peers`).
   */
  paths?: Record<string, string[]>;
  /** Check every declaration file too (`skipLibCheck: false`). */
  libCheck?: boolean;
}

/**
 * Type-checks `sources` (file name → TSX code) in strict mode, with the package's entries mapped
 * to its sources, as an app would import them, unless `paths` says otherwise. Returns the
 * diagnostics, empty when it compiles.
 */
export function typeCheck(
  name: string,
  sources: Record<string, string>,
  { withoutAxios = false, paths, libCheck = false }: TypeCheckOptions = {},
): string[] {
  const outDir = `${root}/.type-check/${name}`;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files = Object.entries(sources).map(([file, code]) => {
    writeFileSync(`${outDir}/${file}`, code);
    return `${outDir}/${file}`;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: !libCheck,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    baseUrl: root,
    paths: paths ?? {
      '@tokenlane/react-auth': ['src/index.ts'],
      '@tokenlane/react-auth/client': ['src/client.ts'],
      '@tokenlane/react-auth/fetch': ['src/fetch.ts'],
      '@tokenlane/react-auth/oauth': ['src/oauth.ts'],
      '@tokenlane/react-auth/testing': ['src/testing.ts'],
      '@tokenlane/core': ['../core/src/index.ts'],
      '@tokenlane/core/*': ['../core/src/*.ts'],
      // An app that never installed axios: any import of it, types included, fails to resolve.
      ...(withoutAxios && { axios: ['.type-check/no-such-module'] }),
    },
  });
  const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${diagnostic.file.fileName.replace(outDir, name)}:` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
  rmSync(outDir, { recursive: true, force: true });
  return problems;
}

/** Every name (values and types) that the source entry `entry` (`src/fetch.ts`, or an absolute path) exports. */
export function exportedNames(entry: string): string[] {
  const file = resolve(root, entry);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    jsx: ts.JsxEmit.ReactJSX,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    baseUrl: root,
    paths: {
      '@tokenlane/core': ['../core/src/index.ts'],
      '@tokenlane/core/*': ['../core/src/*.ts'],
    },
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(module).map((symbol) => symbol.name);
}
