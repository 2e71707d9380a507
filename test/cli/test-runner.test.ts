// `npm test`'s runner (scripts/test.mjs, scripts/test-plan.mjs): which test files share a process, in what order
// the processes start, and that a failing test fails the run.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { repoRoot, scratchDir } from '../shared.js';

interface Unit {
  folder: string;
  files: string[];
}
interface PlanModule {
  GROUP_SIZE: Record<string, number>;
  LONG: string[];
  MARK: string;
  plan(files: string[], tests: string, isolated: boolean, text?: (f: string) => string, bytes?: (f: string) => number): Unit[];
}

const root = repoRoot();
const { GROUP_SIZE, LONG, MARK, plan } = (await import(pathToFileURL(join(root, 'scripts', 'test-plan.mjs')).href)) as PlanModule;
const RUNNER = join(root, 'scripts', 'test.mjs');
/** The runner as a user starts it: not as a child of this test process (Node's test runner marks its children). */
const runner = (args: string[]): SpawnSyncReturns<string> => {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  return spawnSync(process.execPath, [RUNNER, ...args], { encoding: 'utf8', env });
};

const tests = '/r/dist/test';
const engine = Array.from({ length: 65 }, (_, i) => `${tests}/engine/e${String(i).padStart(2, '0')}.test.js`);
const files = [
  ...engine,
  `${tests}/cli/small.test.js`,
  `${tests}/cli/big.test.js`,
  `${tests}/lab/e2e.test.js`,
  `${tests}/kernels/fresh.test.js`,
  `${tests}/kernels/k1.test.js`,
  `${tests}/newfolder/n.test.js`,
  `${tests}/top.test.js`,
];
const text = (f: string): string => (f.endsWith('fresh.test.js') ? `// ${MARK} (a warning once per process)\n` : '// a test\n');
const bytes = (f: string): number => ({ 'small.test.js': 10, 'big.test.js': 900, 'e2e.test.js': 500 })[f.split('/').pop()!] ?? 1;

test('the library\'s test files share processes by folder, at most GROUP_SIZE to one, each file in exactly one', () => {
  const units = plan(files, tests, false, text, bytes);
  assert.deepEqual(units.flatMap((u) => u.files).sort(), [...files].sort(), 'every file once');
  const engineUnits = units.filter((u) => u.folder === 'engine');
  // 65 files, at most 30 to a process: three processes of 21–22 files, dealt round in path order.
  assert.equal(GROUP_SIZE['engine'], 30);
  assert.deepEqual(engineUnits.map((u) => u.files.length), [22, 22, 21]);
  assert.deepEqual(engineUnits[0]!.files.slice(0, 3), [engine[0], engine[3], engine[6]]);
  // A file that says it needs a fresh process gets one; so do files of folders not listed, and top-level files.
  for (const alone of ['kernels/fresh.test.js', 'newfolder/n.test.js', 'top.test.js']) {
    assert.ok(units.some((u) => u.files.length === 1 && u.files[0] === `${tests}/${alone}`), alone);
  }
  assert.deepEqual(units.find((u) => u.files.includes(`${tests}/kernels/k1.test.js`))!.files, [`${tests}/kernels/k1.test.js`]);
});

test('the command\'s long tests start first, one process each, the largest file first; --isolated gives every file its own', () => {
  const units = plan(files, tests, false, text, bytes);
  assert.deepEqual(LONG, ['cli', 'lab']);
  assert.deepEqual(units.slice(0, 3).map((u) => u.files), [[`${tests}/cli/big.test.js`], [`${tests}/lab/e2e.test.js`], [`${tests}/cli/small.test.js`]]);
  const isolated = plan(files, tests, true, text, bytes);
  assert.equal(isolated.length, files.length);
  assert.ok(isolated.every((u) => u.files.length === 1));
});

test('the runner fails the run when a test fails, names it, and refuses an unknown option or a missing path', () => {
  const dir = scratchDir('kindling-runner-');
  writeFileSync(join(dir, 'good.test.js'), "import { test } from 'node:test';\ntest('adds', () => { if (1 + 1 !== 2) throw new Error('no'); });\n");
  const good = runner([dir]);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /✔ adds/);
  assert.match(good.stdout, /ℹ pass 1\n/);
  writeFileSync(join(dir, 'bad.test.js'), "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('compares', () => assert.equal(1, 2));\n");
  const bad = runner([dir]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /✖ compares/);
  assert.match(bad.stdout, /ℹ pass 1\n/);
  assert.match(bad.stdout, /ℹ fail 1\n/);
  const option = runner(['--shuffle']);
  assert.equal(option.status, 2);
  assert.equal(option.stderr, 'test: unknown option --shuffle (node scripts/test.mjs [--isolated] [paths…])\n');
  const missing = runner([join(dir, 'nope')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^test: .*nope is neither a test file nor a folder of them/);
});
