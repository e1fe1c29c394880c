import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Property tests run hundreds of cases: a generous ceiling, so that a busy machine slows them down without failing them.
        test: { name: 'unit', include: ['src/**/*.unit.test.ts', 'test/**/*.unit.test.ts'], testTimeout: 30_000 },
      },
      { test: { name: 'int', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], exclude: ['test/process/**'], testTimeout: 30_000 } },
      {
        // Whole server processes, killed and restarted: one file at a time, so that they never starve each other.
        test: { name: 'process', include: ['test/process/**/*.e2e.test.ts'], testTimeout: 60_000, fileParallelism: false },
      },
    ],
  },
});
