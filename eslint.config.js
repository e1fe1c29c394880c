import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='getTimezoneOffset']",
          message: 'Never read the process time zone: convert through the restaurant zone.',
        },
      ],
    },
  },
  {
    // The pure core must not reach outwards: no I/O, no clock, no randomness.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/application/**', '**/adapters/**', 'node:*', 'fastify', 'pino'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The domain takes time as input.' },
        { object: 'Math', property: 'random', message: 'The domain is deterministic.' },
      ],
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/adapters/**', 'fastify'] }],
    },
  },
  {
    // Protocol adapters speak to the application only; which store runs is decided in src/compose.ts.
    files: ['src/adapters/{http,graphql,grpc,ws}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/memory/**', '**/adapters/sqlite/**', '**/adapters/postgres/**', '**/adapters/redis/**'],
              message: 'A protocol adapter never imports a store adapter: go through the application layer.',
            },
            {
              // The same folders reached as siblings: '../memory/…', '../../sqlite/…'.
              regex: '^(\\.\\./)+(memory|sqlite|postgres|redis)(/|$)',
              message: 'A protocol adapter never imports a store adapter: go through the application layer.',
            },
          ],
        },
      ],
    },
  },
);
