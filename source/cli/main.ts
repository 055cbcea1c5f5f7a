#!/usr/bin/env node
import { main } from './run.js';

// React and Ink are loaded later (dynamic import); their production builds are several times faster.
process.env['NODE_ENV'] ??= 'production';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Anything unexpected still ends in one line; the stack is for MESHDECK_DEBUG=1 only.
    process.stderr.write(`meshdeck: internal error: ${(error as Error).message}\n`);
    if (process.env['MESHDECK_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  },
);
