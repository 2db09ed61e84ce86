#!/usr/bin/env node
// `npm start`: builds what is missing, then runs the embedded default (conf/zoo.cfg, data under data/)
// in the foreground until Ctrl-C. Extra arguments name another zoo.cfg.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const mainJs = join(root, 'dist/apps/coordinator/src/main.js');
if (!existsSync(mainJs) || process.env.REBUILD === '1') {
  console.log('building the coordinator (npm run build)…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const configPath = process.argv[2] ?? join(root, 'conf/zoo.cfg');
mkdirSync(join(root, 'data'), { recursive: true });
console.log(`starting the coordinator with ${configPath}: clients on 127.0.0.1:2181, admin API on http://127.0.0.1:8080/api/v1/status`);
const child = spawn(process.execPath, [join(root, 'bin/coordinator.js'), configPath], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
