// A package's entries, from its `package.json` `exports` (the one list): `./step-up` is built
// from `src/step-up.ts`, `.` from `src/index.ts`. Read by each package's tsup and typedoc configs.

/** The entry names (`index`, `step-up`, ...) of an `exports` map. */
export const entryNames = (exports) =>
  Object.keys(exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => subpath.replace(/^\.\/?/, '') || 'index');

/** `{ name: 'src/<name>.ts' }` for tsup's `entry`. */
export const tsupEntries = (exports) =>
  Object.fromEntries(entryNames(exports).map((name) => [name, `src/${name}.ts`]));
