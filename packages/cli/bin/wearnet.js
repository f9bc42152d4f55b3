#!/usr/bin/env node
'use strict';
require('../dist/main.js')
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`wearnet: ${err && err.code ? err.code + ': ' : ''}${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  });
