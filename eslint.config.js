// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      'bench/results/**',
      '**/reports/**',
      '**/.stryker-tmp/**',
      // The docs tests' snippet programs: written and removed while the lint runs beside them.
      '**/.type-check/**',
      'docs/reference/**',
      'docs/.vitepress/cache/**',
      'docs/.vitepress/dist/**',
      'examples/*/build/**',
      'examples/*/.react-router/**',
      'examples/*/.next/**',
      'examples/*/next-env.d.ts',
      'examples/*/src/routeTree.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // The root's declaration of package-entries.js belongs to no workspace's tsconfig.
        projectService: { allowDefaultProject: ['package-entries.d.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
