// Where the repository (and its built coordinator) is, seen from this folder.
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
