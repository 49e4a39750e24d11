import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nextPlugin from '@next/eslint-plugin-next';
import globals from 'globals';

import { boundariesConfig } from './eslint/boundaries.mjs';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'scripts/vendor/', '.next/', '.next-*/', 'server/db/generated/', 'next-env.d.ts', 'test-results/', 'playwright-report/', '.data/', '.tmp/', 'coverage/', '.cli-build/', 'test/boundaries-fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { '@next/next': nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through server/env.ts (validated once with zod).' },
      ],
    },
  },
  boundariesConfig,
  {
    // The console's own code keeps to one blank line (issue 14 found two in the overview).
    files: ['components/**', 'app/**'],
    rules: { 'no-multiple-empty-lines': ['error', { max: 1, maxBOF: 0, maxEOF: 0 }] },
  },
  {
    // Configuration entry points, the supervisor and tests may read the environment directly.
    files: ['server/env.ts', 'cli/index.ts', 'scripts/**', 'test/**', 'e2e/**', 'bench/**', '*.config.ts', '*.config.mjs', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // CommonJS on purpose: ESLint loads import resolvers with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
