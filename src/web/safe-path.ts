/**
 * Maps a URL path onto a file inside one folder, refusing anything that could leave it. The check works on the
 * raw URL (before any decoding a framework might do), so `..` segments, `%2e%2e`, encoded slashes and backslashes, NUL,
 * absolute paths and symbolic links pointing outside all end the same way: no file.
 */
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Percent-encoded `/`, `\` and NUL: never legitimate in a file name we serve. */
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
/** A name segment we serve: no dot files (temporary files of atomic writes start with a dot), no control characters. */
const SAFE_SEGMENT = /^[^./\\\0-\x1f][^/\\\0-\x1f]*$/;

/**
 * Splits the raw URL path (what follows the route prefix, query string excluded) into decoded, safe segments.
 * Returns null for anything suspicious; callers answer 404 without saying why.
 *
 * @example
 * urlSegments('2025-01-02T03-04-05/loss-all.svg') // ['2025-01-02T03-04-05', 'loss-all.svg']
 * urlSegments('..%2f..%2fetc%2fpasswd')           // null
 */
export function urlSegments(rawPath: string): string[] | null {
  if (rawPath === '' || rawPath.includes('\\') || ENCODED_SEPARATOR.test(rawPath)) return null;
  const segments: string[] = [];
  for (const part of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null;
    }
    // `..` and `.` never pass SAFE_SEGMENT (no leading dot); they are named here all the same, since they are what
    // the check is for. A name merely containing two dots (`net..v2`, a valid run name) is an ordinary name.
    if (!SAFE_SEGMENT.test(decoded) || decoded === '..' || decoded === '.') return null;
    segments.push(decoded);
  }
  return segments;
}

/**
 * The real path of the regular file `segments` name inside `root`, or null when it does not exist, is not a
 * regular file, or resolves (through symbolic links) to somewhere outside `root`.
 */
export function resolveInside(root: string, segments: readonly string[]): string | null {
  let rootReal: string;
  let target: string;
  try {
    rootReal = realpathSync(root);
    target = realpathSync(join(rootReal, ...segments));
  } catch {
    return null;
  }
  if (!target.startsWith(rootReal + sep)) return null;
  try {
    return statSync(target).isFile() ? target : null;
  } catch {
    return null;
  }
}

/** `urlSegments` then `resolveInside`: the file a raw URL path names under `root`, or null. */
export function fileForUrl(root: string, rawPath: string): string | null {
  const segments = urlSegments(rawPath);
  return segments === null ? null : resolveInside(root, segments);
}
