// `npm test`: runs the compiled tests (dist/test) with Node's test runner, two processes at a time.
//
// A test process spends about 0.7 s of CPU loading Kindling's ~500 modules before its first test, longer than most
// whole test files take: with a process per file, the ~400 files spent a third of the suite's time loading. So the
// files of the library's own folders share processes, a few dozen to one (its process imports them in turn, and
// their tests run one after another, as they would in processes of their own), while those of test/cli and test/lab,
// which run the command for minutes, and any file that says so, keep a process each (scripts/test-plan.mjs):
//   // kindling-test: own process (why)
// in a test file gives it one: for a test that needs a fresh process, such as one checking a warning given once
// per process.
//
//   node scripts/test.mjs [--isolated] [paths…]
// --isolated gives every file a process of its own, as `node --test dist/test/` does; paths (folders or files under
// dist/test or test/, .ts or .js) run only those.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { plan, testFiles } from './test-plan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tests = join(root, 'dist', 'test');
/** Test processes at a time: the machine's two cores. */
const CONCURRENCY = 2;
const USAGE = 'node scripts/test.mjs [--isolated] [paths…]';

const args = process.argv.slice(2);
const unknown = args.find((a) => a.startsWith('-') && a !== '--isolated');
if (unknown !== undefined) fail(`unknown option ${unknown} (${USAGE})`);
const paths = args.filter((a) => !a.startsWith('-'));
const files = paths.length > 0 ? paths.flatMap(chosen) : testFiles(tests);
if (files.length === 0) fail(`no test files (*.test.js) in ${paths.length > 0 ? paths.join(', ') : tests}; run npm run build first?`);

const groups = mkdtempSync(join(tmpdir(), 'kindling-test-groups-'));
process.on('exit', () => rmSync(groups, { recursive: true, force: true }));
// Ctrl-C reaches the test processes too; this one leaves no group files behind.
process.on('SIGINT', () => process.exit(130));
const entries = plan(files, tests, args.includes('--isolated')).map((u, i) => {
  if (u.files.length === 1) return u.files[0];
  const entry = join(groups, `${u.folder}-${i}.mjs`);
  writeFileSync(entry, u.files.map((f) => `import ${JSON.stringify(pathToFileURL(f).href)};\n`).join(''));
  return entry;
});

const stream = run({ files: entries, concurrency: CONCURRENCY });
// A failed test (a file that cannot load is one too) fails the run, as with `node --test`.
stream.on('test:fail', (e) => {
  if (!e.todo) process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);

function fail(message) {
  console.error(`test: ${message}`);
  process.exit(2);
}

/** The test files a path names: a folder's, or the file itself (test/x.test.ts names dist/test/x.test.js). */
function chosen(arg) {
  let path = resolve(arg).replace(/\.ts$/, '.js');
  const rel = relative(root, path);
  if (rel === 'test' || rel.startsWith(`test${sep}`)) path = join(root, 'dist', rel);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    fail(`${arg} is neither a test file nor a folder of them (under dist/test, or test/ for its compiled tests; run npm run build first?)`);
  }
  return stat.isDirectory() ? testFiles(path) : [path];
}
