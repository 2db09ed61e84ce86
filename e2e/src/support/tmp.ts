// Temporary directories for server data and configs; removed at the end unless E2E_KEEP_TMP is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  remove(): void;
}

export function makeTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `zk-e2e-${prefix}-`));
  return {
    path,
    remove() {
      if (process.env['E2E_KEEP_TMP']) return;
      rmSync(path, { recursive: true, force: true });
    },
  };
}
