import { basename, isAbsolute, relative } from 'node:path';

/** `s` as one shell word: as it is when it needs no quoting, else in single quotes. */
export function shellArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the user ran this process, to tell them a command to type next: `kindling` when it was run as that (an
 * installed or linked bin), else `node <script>` as given (`node bin/kindling.js` from a clone).
 */
export function invocation(): string {
  const script = process.argv[1] ?? 'kindling';
  if (basename(script) === 'kindling') return 'kindling';
  const shown = relative(process.cwd(), script);
  return `node ${shellArg(shown.startsWith('..') || isAbsolute(shown) ? script : shown)}`;
}
