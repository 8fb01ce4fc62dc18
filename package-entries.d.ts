/** The entry names (`index`, `step-up`, ...) of a package's `exports` map. */
export declare const entryNames: (exports: Record<string, unknown>) => string[];
/** `{ name: 'src/<name>.ts' }` for tsup's `entry`. */
export declare const tsupEntries: (exports: Record<string, unknown>) => Record<string, string>;
