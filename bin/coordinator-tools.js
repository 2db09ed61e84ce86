#!/usr/bin/env node
// `coordinator-tools <command> …`: the operator tool for a data directory (npm run build makes dist/).
require('../dist/apps/coordinator/src/tools/coordinator-tools.js').main(process.argv.slice(2));
