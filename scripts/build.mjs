// Build: TypeScript → dist/ with tsc, AssemblyScript kernels → dist/kernels.wasm and dist/kernels-native.wasm with asc
// (two builds of the same sources: see assembly/subnormals.ts).
// Runs on `npm install` / `npm ci` (prepare) and before `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

mkdirSync(join(root, 'dist'), { recursive: true });
run('tsc', require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.json']);
const asSource = join(root, 'assembly', 'index.ts');
if (existsSync(asSource)) {
  const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
  const options = [
    // The memory is imported and shared: src/kernels/wasm/heap.ts grows it without detaching the
    // Float32Array views that parameters and gradients keep into it.
    'assembly/index.ts', '-O3', '--enable', 'simd', '--enable', 'threads', '--runtime', 'stub', '--noAssert',
    '--importMemory', '--sharedMemory', '--initialMemory', '16', '--maximumMemory', '16384', '--noExportMemory',
  ];
  run('asc', asc, [...options, '--outFile', 'dist/kernels.wasm']);
  // For cores that compute float32 subnormals at full speed (the loader times them to choose).
  run('asc (native subnormals)', asc, [...options, '--use', 'KINDLING_NATIVE_SUBNORMALS=1', '--outFile', 'dist/kernels-native.wasm']);
}
// The plot-rendering thread, as one file (see the script).
run('bundle-render-worker', join(root, 'scripts', 'bundle-render-worker.mjs'), []);
// The lab pages' scripts (`kindling serve`): esbuild bundles them with the engine into dist/web/.
run('bundle-web', join(root, 'scripts', 'bundle-web.mjs'), []);
