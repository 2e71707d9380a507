#!/usr/bin/env node
// Entry point of the `kindling` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('kindling: the compiled code is missing; run `npm install` (or `npm run build`) first.\n');
  process.exit(1);
}
await import(main.href);
