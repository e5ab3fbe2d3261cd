// One lint config for the monorepo. Type-aware rules catch floating promises everywhere; workflow code is
// held to Temporal's determinism rules by forbidding I/O imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '**/generated/**', '**/dist/**', '**/*.cjs', '**/*.mjs', 'e2e/**', 'prisma/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['packages/workflows/src/**/*.ts'],
    ignores: ['packages/workflows/src/**/*.test.ts', 'packages/workflows/src/client.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'child_process', 'http', 'https', 'net'],
              message: 'Workflow code must be deterministic: no Node built-ins.',
            },
            {
              group: ['@prisma/*', '@manifold/db', '@manifold/mcp', '@manifold/secrets', '@modelcontextprotocol/*', 'next', 'next/*', 'pg'],
              message: 'Workflow code does no I/O: call an activity.',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'Only @temporalio/workflow belongs in workflow code.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Workflow code does no I/O: call an activity.' }],
    },
  },
);
