#!/usr/bin/env node
'use strict';
// Exit codes and the error format are documented in the README ("Exit codes").
require('../dist/main.js')
  .runCli(process.argv)
  .then((code) => {
    if (code !== 0) process.exitCode = code;
  });
