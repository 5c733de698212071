import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], env: { TZ: 'UTC' } } },
      { test: { name: 'http', include: ['tests/http/**/*.test.ts'], env: { TZ: 'UTC' }, testTimeout: 20000 } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 60000, fileParallelism: false } },
    ],
  },
});
