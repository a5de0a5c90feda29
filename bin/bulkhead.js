#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle so that `npx bulkhead` starts as fast as the editor's server does;
// dist/launch.js loads it through V8's code cache (server/src/cli/compileCache.ts).
require('../dist/launch.js').launch();
