import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nextPlugin from '@next/eslint-plugin-next';
import globals from 'globals';

// Import direction (ARCHITECTURE.md): nothing under server/ imports app/ or components/;
// server/domain imports nothing but itself; client code reaches the server only through tRPC.
const uiFolders = ['**/app/**', '**/components/**', '@/app/*', '@/components/*'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'scripts/vendor/', '.next/', '.next-*/', 'server/db/generated/', 'next-env.d.ts', 'test-results/', 'playwright-report/', '.data/', '.tmp/', 'coverage/'],
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
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: uiFolders, message: 'server/ must not import app/ or components/ (ARCHITECTURE.md: import direction).' }] }],
    },
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '!../domain/*', '@/*', 'node:*', 'pg', '@prisma/*', 'graphile-worker'], message: 'server/domain is pure: no I/O, no imports outside server/domain.' },
          ],
        },
      ],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/server/*', '!@/server/api/root', '!@/server/live/topics', '!@/server/services/topology', '!@/server/auth/roles'],
              allowTypeImports: true,
              message: 'Client components reach the server through tRPC; import server types with `import type` only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Configuration entry points, the supervisor and tests may read the environment directly.
    files: ['server/env.ts', 'scripts/**', 'test/**', 'e2e/**', 'bench/**', '*.config.ts', '*.config.mjs', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
