// Starts a worker thread from a module beside this one: the compiled .js in dist/, or — when the
// coordinator runs from TypeScript sources, as under vitest — the .ts through a small transpile-on-require
// hook (the `typescript` devDependency and tsconfig.base.json's path aliases).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export function startWorker(modulePathWithoutExtension: string, workerData: unknown): Worker {
  const compiled = `${modulePathWithoutExtension}.js`;
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = `${modulePathWithoutExtension}.ts`;
  if (!existsSync(source)) throw new Error(`no worker module at ${compiled} or ${source}`);
  return new Worker(TS_BOOTSTRAP, {
    eval: true,
    workerData: { ...(workerData as object), tsBootstrap: { entry: source, typescript: require.resolve('typescript'), aliases: pathAliases(source) } },
  });
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

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const Module = require('node:module');
const fs = require('node:fs');
const { entry, typescript, aliases } = workerData.tsBootstrap;
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
require(entry);
`;
