import { readFileSync } from 'node:fs';

/** Kindling's version, from the package.json two folders above the compiled `dist/src/`. */
export function kindlingVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}
