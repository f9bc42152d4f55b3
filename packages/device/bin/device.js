#!/usr/bin/env node
'use strict';
// The lean device entry point: loads the device role and what it needs, not the wearnet CLI.
require('../dist/main.js')
  .deviceMain(process.argv.slice(2))
  .then((code) => {
    if (code !== 0) process.exitCode = code;
  });
