#!/usr/bin/env node
// Entry point of the `kindling` command: runs the compiled CLI (built by `npm install` / `npm run build`), as one
// bundle (dist/bundle/, quicker to start) or, without it, as the compiled modules.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const bundle = new URL('../dist/bundle/cli/main.js', import.meta.url);
const main = existsSync(fileURLToPath(bundle)) ? bundle : new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('kindling: the compiled code is missing; run `npm install` (or `npm run build`) first.\n');
  process.exit(1);
}
// --debug prints stack traces: through the source maps, they name the TypeScript files and lines.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
try {
  await import(main.href);
} catch (err) {
  // A build cut short or a file of it deleted: said plainly, as a missing build is (the stack trace with --debug).
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || process.argv.includes('--debug')) throw err;
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(String(err.message))?.[1] ?? String(err.message);
  process.stderr.write(`kindling: the compiled code is incomplete (${missing} is missing); run \`npm install\` (or \`npm run build\`) again.\n`);
  process.exit(1);
}
