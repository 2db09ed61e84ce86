// Benchmarks run on demand (never in `npm test`): `npx vitest run --config bench/vitest.config.mts`.
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  resolve: {
    alias: {
      '@zk/datatree': resolve(root, 'libs/datatree/src/index.ts'),
      '@zk/recipes': resolve(root, 'libs/recipes/src/index.ts'),
      // '@zk/sdk/testing' before '@zk/sdk': the first alias that matches wins.
      '@zk/sdk/testing': resolve(root, 'libs/sdk/src/testing/index.ts'),
      '@zk/sdk': resolve(root, 'libs/sdk/src/index.ts'),
      '@zk/wire': resolve(root, 'libs/wire/src/index.ts'),
    },
  },
  test: {
    include: ['bench/src/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
