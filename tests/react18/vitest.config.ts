import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs @tokenlane/react-auth's React tests, unchanged, against the React 18 installed here.
// @testing-library/react is CommonJS (Node resolves its requires), so a copy of it is installed
// here too, where its require('react-dom') finds React 18.
const require = createRequire(import.meta.url);
const here = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/react-auth');

export default defineConfig({
  resolve: {
    alias: [
      { find: /^react$/, replacement: here('react') },
      { find: /^react\/(.*)$/, replacement: `${here('react')}/$1` },
      { find: /^react-dom$/, replacement: here('react-dom') },
      { find: /^react-dom\/(.*)$/, replacement: `${here('react-dom')}/$1` },
      { find: /^@testing-library\/react$/, replacement: here('@testing-library/react') },
    ],
  },
  test: {
    root: packageDir,
    include: ['src/react/__tests__/**/*.test.tsx', 'src/devtools/__tests__/**/*.test.tsx'],
    env: { EXPECT_REACT_MAJOR: '18' },
    // Bundle these so their own `import 'react'` goes through the alias above.
    server: { deps: { inline: [/@tanstack\//] } },
  },
});
