// Which test files share a process in `npm test` (scripts/test.mjs), and in what order the processes start.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Folders of dist/test whose files share processes: at most this many files in one. Others: a process per file. */
export const GROUP_SIZE = { golden: 75, engine: 30, kernels: 10, speed: 20, data: 20, io: 20, report: 10, models: 7, web: 8 };
/** The folders whose files run the command for minutes: they start first, so that none is left running alone at the end. */
export const LONG = ['cli', 'lab'];
/** A test file holding this line (as a comment) gets a process of its own. */
export const MARK = 'kindling-test: own process';

/** Every *.test.js under `dir` (the helpers beside them are not tests), in path order. */
export function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.js')) out.push(path);
  }
  return out.sort();
}

/**
 * The test processes, each `{ folder, files }`: with `isolated` a process per file; otherwise a process per file of
 * the LONG folders (largest file first), of folders not in GROUP_SIZE and of files marked, and the other files in
 * groups of their folder, as few as GROUP_SIZE allows, about equal, files dealt round. `tests` is the root that
 * folders are named from (dist/test); `text(file)` reads a file (for the mark), `bytes(file)` gives its size.
 */
export function plan(files, tests, isolated, text = (f) => readFileSync(f, 'utf8'), bytes = (f) => statSync(f).size) {
  const own = [];
  const byFolder = new Map();
  for (const file of files) {
    const rel = relative(tests, file);
    const folder = rel.includes(sep) ? rel.split(sep)[0] : '';
    if (isolated || !Object.hasOwn(GROUP_SIZE, folder) || text(file).includes(MARK)) own.push({ folder, files: [file] });
    else if (byFolder.has(folder)) byFolder.get(folder).push(file);
    else byFolder.set(folder, [file]);
  }
  const shared = [];
  for (const [folder, list] of byFolder) {
    const count = Math.ceil(list.length / GROUP_SIZE[folder]);
    for (let g = 0; g < count; g++) shared.push({ folder, files: list.filter((_, i) => i % count === g) });
  }
  const long = own.filter((u) => LONG.includes(u.folder)).sort((a, b) => bytes(b.files[0]) - bytes(a.files[0]));
  return [...long, ...own.filter((u) => !LONG.includes(u.folder)), ...shared];
}
