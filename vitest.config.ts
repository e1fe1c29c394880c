import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.unit.test.ts', 'test/**/*.unit.test.ts'] } },
      { test: { name: 'int', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'] } },
      { test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], testTimeout: 30_000 } },
    ],
  },
});
