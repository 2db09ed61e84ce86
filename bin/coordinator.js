#!/usr/bin/env node
// `coordinator path/to/zoo.cfg`: runs the built coordinator (npm run build makes dist/).
require('../dist/apps/coordinator/src/main.js');
