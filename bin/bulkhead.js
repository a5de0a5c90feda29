#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle so that `npx bulkhead` starts as fast as the editor's server does.
require('../dist/cli.js').main();
