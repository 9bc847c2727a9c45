// `npm run lint`: typescript-eslint's strict, type-aware rules over every TypeScript file, with
// Prettier owning the layout. A rule switched off or relaxed here says why.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/__generated__/', '**/dist/', '.data/', 'coverage/', 'bench/results/']),
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json that covers it (the root one, or web/'s);
        // the two config files at the root are plain JavaScript outside both.
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers in messages (`its depth is ${depth}`) are what the messages are made of.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // With noUncheckedIndexedAccess, `!` marks an index that is known to exist (a regex group that
      // matched, the first node of a field's group); a check that cannot fail would be dead code.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Apollo Server's plugin hooks and our store interfaces return promises; an `async` method
      // without `await` is the plainest way to implement one that has nothing to wait for.
      '@typescript-eslint/require-await': 'off',
      // No-op callbacks are deliberate: a default logger, a stop() with nothing to stop, a
      // connection attempt awaited but reported elsewhere.
      '@typescript-eslint/no-empty-function': 'off',
      // `return next()` in Express middleware and `() => resolve()` callbacks are the idioms.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // An AbortSignal's reason is typed `any`: it is the Error given to abort(), or an AbortError.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // A `let` that a closure reads before its one assignment cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `const { password: _, ...rest } = row` is how a property is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // `stderr || message` means to skip an empty string too, which `??` would keep.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ['web/**/*.tsx'],
    rules: {
      // React ignores what an event handler returns: `onSubmit={submit}` with an async submit is the idiom.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.e2e.ts', 'test/**', 'e2e/**'],
    rules: {
      // Tests read JSON bodies (`await response.json()` is `any`) and let expect() check their
      // shape at run time; typing every body would restate the assertion.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-plus-operands': ['error', { allowAny: true }],
      // `let stack: Stack` is assigned in beforeAll, which may have failed: afterAll's `stack?.stop()`
      // guards that although the type says it cannot be undefined.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Restoring process.env after a test means deleting the variables it set.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  prettier,
);
