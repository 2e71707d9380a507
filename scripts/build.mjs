// Build: TypeScript → dist/ with tsc, AssemblyScript kernels → dist/kernels.wasm and dist/kernels-native.wasm with asc
// (two builds of the same sources: see assembly/subnormals.ts).
// Runs on `npm install` / `npm ci` (prepare) and before `npm test`. When dist/ was built from exactly these sources
// (the same files under src/, test/, bench/, assembly/ and scripts/, the same tsconfig, package files and Node.js), it
// is left as it is: `npm ci && npm test` builds once. `npm run build` (`node scripts/build.mjs --force`) builds anyway.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(label, bin, args) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${label} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

/** A digest of everything the build reads from the repository, and of the Node.js that runs it. */
function inputsDigest() {
  const hash = createHash('sha256').update(`node ${process.version}\n`);
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const dir of ['src', 'test', 'bench', 'assembly', 'scripts']) if (existsSync(join(root, dir))) walk(dir);
  files.push('tsconfig.json', 'package.json', 'package-lock.json');
  for (const path of files.sort()) {
    hash.update(`${path}\n`);
    hash.update(existsSync(join(root, path)) ? readFileSync(join(root, path)) : 'absent');
  }
  return hash.digest('hex');
}

/** What a build leaves: if any is gone, dist/ is built again whatever the stamp says. */
const OUTPUTS = ['dist/src/index.js', 'dist/kernels.wasm', 'dist/kernels-native.wasm', 'dist/render-worker.bundle.js', 'dist/web/draw.js', 'dist/bundle/cli/main.js', 'dist/bundle/lab/worker.js'];
const stamp = join(root, 'dist', '.build-inputs');
const digest = inputsDigest();
/** The command's bundle: every file its last build made (their names are hashes, listed by scripts/bundle-cli.mjs). */
function bundleFiles() {
  const list = join(root, 'dist', 'bundle', 'files.json');
  return existsSync(list) ? JSON.parse(readFileSync(list, 'utf8')).map((f) => `dist/bundle/${f}`) : ['dist/bundle/files.json'];
}
if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && [...OUTPUTS, ...bundleFiles()].every((f) => existsSync(join(root, f)))) {
  console.log('build: dist/ is up to date with the sources (npm run build builds it anyway)');
  process.exit(0);
}
// A build that fails half-way must not leave a stamp that says it is done; and tsc's output of a source since moved
// or deleted (a test file above all, which `node --test dist/test/` would still run) must not linger.
rmSync(stamp, { force: true });
for (const dir of ['src', 'test', 'bench', 'bundle']) rmSync(join(root, 'dist', dir), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
run('tsc', require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json']);
const asSource = join(root, 'assembly', 'index.ts');
if (existsSync(asSource)) {
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  const options = [
    // The memory is imported, of a fixed size chosen at load time (src/kernels/wasm/memory-size.ts), and not shared:
    // copies into and out of a shared memory take V8 about five times as long.
    'assembly/index.ts', '-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert',
    '--importMemory', '--initialMemory', '16', '--maximumMemory', '16384', '--noExportMemory',
  ];
  run('asc', asc, [...options, '--outFile', 'dist/kernels.wasm']);
  // For cores that compute float32 subnormals at full speed (the loader times them to choose).
  run('asc (native subnormals)', asc, [...options, '--use', 'KINDLING_NATIVE_SUBNORMALS=1', '--outFile', 'dist/kernels-native.wasm']);
}
// The command and its training thread, bundled to start sooner (see the script).
run('bundle-cli', join(root, 'scripts', 'bundle-cli.mjs'), []);
// The plot-rendering thread, as one file (see the script).
run('bundle-render-worker', join(root, 'scripts', 'bundle-render-worker.mjs'), []);
// The lab pages' scripts (`kindling serve`): esbuild bundles them with the engine into dist/web/.
run('bundle-web', join(root, 'scripts', 'bundle-web.mjs'), []);
writeFileSync(stamp, digest);
