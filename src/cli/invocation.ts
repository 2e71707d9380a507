import { basename, dirname, isAbsolute, relative } from 'node:path';

/** `s` as one shell word: as it is when it needs no quoting, else in single quotes. */
export function shellArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the user ran this process, to tell them a command to type next: `kindling` when it was run as that (an
 * installed or linked bin), `npx kindling` when it is a project's own bin (`node_modules/.bin/kindling`, which is on
 * the PATH of npx and npm scripts only, not of the user's shell), else `node <script>` as given (`node
 * bin/kindling.js` from a clone).
 */
export function invocation(): string {
  const script = process.argv[1] ?? 'kindling';
  if (basename(script) === 'kindling') {
    const bin = dirname(script);
    return basename(bin) === '.bin' && basename(dirname(bin)) === 'node_modules' ? 'npx kindling' : 'kindling';
  }
  const shown = relative(process.cwd(), script);
  return `node ${shellArg(shown.startsWith('..') || isAbsolute(shown) ? script : shown)}`;
}
