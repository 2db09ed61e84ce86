// Starts a child process from a module beside this one: the compiled .js in dist/, or —
// when the coordinator runs from TypeScript sources, as under vitest — the .ts through a small
// transpile-on-require hook (the `typescript` devDependency and tsconfig.base.json's path aliases).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The first IPC message a child started by startChildProcess gets: what to load and its own data. */
export interface ChildStart {
  type: 'start';
  entry: string;
  tsBootstrap?: { typescript: string; aliases: Record<string, string> };
  data: unknown;
}

/**
 * A child process running `serveChildProcess(data)` of the module, with an IPC channel that carries BigInts
 * and byte arrays (serialization 'advanced'). Unlike a worker thread's, all of its memory goes back to the
 * system when it exits: a thread's freed malloc arenas stay in the server's RSS.
 */
export function startChildProcess(modulePathWithoutExtension: string, data: unknown): ChildProcess {
  const compiled = `${modulePathWithoutExtension}.js`;
  const source = `${modulePathWithoutExtension}.ts`;
  let start: ChildStart;
  if (existsSync(compiled)) start = { type: 'start', entry: compiled, data };
  else if (existsSync(source)) start = { type: 'start', entry: source, tsBootstrap: { typescript: require.resolve('typescript'), aliases: pathAliases(source) }, data };
  else throw new Error(`no child module at ${compiled} or ${source}`);
  const child = spawn(process.execPath, ['-e', CHILD_BOOTSTRAP], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  child.send(start);
  return child;
}

/** tsconfig.base.json's "paths" (first target of each), made absolute. */
function pathAliases(from: string): Record<string, string> {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'tsconfig.base.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
  const config = JSON.parse(readFileSync(join(dir, 'tsconfig.base.json'), 'utf8')) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
  const base = resolve(dir, config.compilerOptions?.baseUrl ?? '.');
  const aliases: Record<string, string> = {};
  for (const [name, targets] of Object.entries(config.compilerOptions?.paths ?? {})) aliases[name] = resolve(base, targets[0]);
  return aliases;
}

/**
 * The child waits for its ChildStart, makes require() take .ts files and the path aliases when told to, loads
 * the module and hands it the data; it exits when the parent goes.
 */
const CHILD_BOOTSTRAP = `
function installTs(typescript, aliases) {
  const Module = require('node:module');
  const fs = require('node:fs');
  const ts = require(typescript);
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return resolveFilename.call(this, Object.prototype.hasOwnProperty.call(aliases, request) ? aliases[request] : request, ...rest);
  };
  require.extensions['.ts'] = (module, filename) => {
    const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true },
    });
    module._compile(output.outputText, filename);
  };
}
process.once('message', (start) => {
  if (start.tsBootstrap) installTs(start.tsBootstrap.typescript, start.tsBootstrap.aliases);
  require(start.entry).serveChildProcess(start.data);
});
process.on('disconnect', () => process.exit(0));
`;
