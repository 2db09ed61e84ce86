// One vitest run for the whole workspace: unit specs beside the code, cross-process tests in e2e/.
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      '@zk/datatree': resolve(root, 'libs/datatree/src/index.ts'),
      '@zk/recipes': resolve(root, 'libs/recipes/src/index.ts'),
      // '@zk/sdk/testing' before '@zk/sdk': the first alias that matches wins.
      '@zk/sdk/testing': resolve(root, 'libs/sdk/src/testing/index.ts'),
      '@zk/sdk': resolve(root, 'libs/sdk/src/index.ts'),
      '@zk/wire': resolve(root, 'libs/wire/src/index.ts'),
      '@zk/zab': resolve(root, 'libs/zab/src/index.ts'),
    },
  },
  test: {
    include: ['{apps,libs,e2e,bench}/**/src/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
