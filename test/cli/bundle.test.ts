// The command runs from a bundle of its compiled modules (scripts/bundle-cli.mjs): it must behave as the modules do,
// and every file the modules find next to them (the kernels, the package file, worker scripts, pages) must still be
// found from the bundle's chunks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { repoRoot, scratchDir } from '../shared.js';

const BUNDLE = join(repoRoot(), 'dist', 'bundle');
const MAIN = { bundle: join(BUNDLE, 'cli', 'main.js'), modules: join(repoRoot(), 'dist', 'src', 'cli', 'main.js') };

function bundleFiles(): string[] {
  return readdirSync(BUNDLE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(BUNDLE, f));
}

test('the build bundles the command and its training thread, and bin/kindling.js runs the bundle', () => {
  assert.ok(existsSync(MAIN.bundle), MAIN.bundle);
  assert.ok(existsSync(join(BUNDLE, 'lab', 'worker.js')));
  assert.match(readFileSync(join(repoRoot(), 'bin', 'kindling.js'), 'utf8'), /dist\/bundle\/cli\/main\.js/);
});

test('in the bundle, each module\'s import.meta.url is its compiled file\'s URL, and what it names exists', () => {
  let rewritten = 0;
  for (const file of bundleFiles()) {
    const text = readFileSync(file, 'utf8');
    const own = [...text.matchAll(/new URL\("([^"]+)", import\.meta\.url\)\.href/g)];
    // Every import.meta.url in the bundle is one of those: none was left to mean the chunk's own URL.
    assert.equal(text.split('import.meta.url').length - 1, own.length, `${file}: an import.meta.url not rewritten`);
    for (const [, rel] of own) {
      const target = fileURLToPath(new URL(rel!, pathToFileURL(file)));
      assert.ok(target.startsWith(join(repoRoot(), 'dist')) && !target.startsWith(BUNDLE) && existsSync(target), `${file}: ${rel} → ${target}`);
      rewritten++;
    }
  }
  // The kernels' loader, the package file's reader, the pool, the plots, the server and the data finder at least.
  assert.ok(rewritten >= 6, `${rewritten} rewritten`);
});

test('the bundle and the compiled modules give the same output: help, version, an MNIST preview and its PNG', () => {
  const dir = scratchDir('kindling-bundle-');
  const outputs = Object.entries(MAIN).map(([name, main]) => {
    const run = (args: string[]): string => {
      const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${name} ${args.join(' ')}: ${r.stderr}`);
      return r.stdout + r.stderr;
    };
    const png = join(dir, `${name}.png`);
    return {
      text: [run(['--version']), run(['--help']), run(['train', '--help']), run(['preview', '--index', '7', '--style', 'shade', '--out', png]).replace(png, 'PNG')],
      png: readFileSync(png),
    };
  });
  assert.deepEqual(outputs[0]!.text, outputs[1]!.text);
  assert.ok(outputs[0]!.png.equals(outputs[1]!.png));
  assert.match(outputs[0]!.text[3]!, /train image 7 · label 3/);
});

test('--debug stack traces name the TypeScript sources through the source maps', () => {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'kindling.js'), 'eval', '--model', join(scratchDir('kindling-bundle-'), 'none.safetensors'), '--debug'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /does not exist/);
  assert.match(r.stderr, /at \S+ \(\S*src\/io\/[\w-]+\.ts:\d+:\d+\)/);
});

test('without the bundle, bin/kindling.js runs the compiled modules, training threads included; both give the same results', () => {
  // A copy of bin/ and of the compiled modules, beside the kernels and the packages (symbolic links), and no bundle.
  const root = scratchDir('kindling-nobundle-');
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist'));
  copyFileSync(join(repoRoot(), 'bin', 'kindling.js'), join(root, 'bin', 'kindling.js'));
  copyFileSync(join(repoRoot(), 'package.json'), join(root, 'package.json'));
  for (const name of ['src', 'bench']) cpSync(join(repoRoot(), 'dist', name), join(root, 'dist', name), { recursive: true });
  for (const name of ['kernels.wasm', 'kernels-native.wasm']) symlinkSync(join(repoRoot(), 'dist', name), join(root, 'dist', name));
  symlinkSync(join(repoRoot(), 'node_modules'), join(root, 'node_modules'));
  const kindling = (bin: string, args: string[]): string => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${bin} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const bins = [join(root, 'bin', 'kindling.js'), join(repoRoot(), 'bin', 'kindling.js')];
  const [modules, bundled] = bins.map((bin, i) => {
    const out = join(root, `run-${i}`);
    const args = ['train', '--layernorm', '--optimizer', 'adam', '--train-limit', '60', '--test-limit', '20', '--epochs', '1', '--quiet', '--json', '--out', out];
    const { summary } = JSON.parse(kindling(bin, args)) as { summary: Record<string, unknown>[] };
    return {
      // All but the times.
      summary: summary.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !k.endsWith('Seconds')))),
      model: readFileSync(join(out, 'model-custom-s0.safetensors')),
      eval: kindling(bin, ['eval', '--model', join(out, 'model-custom-s0.safetensors'), '--test-limit', '20']).replaceAll(out, 'RUN'),
    };
  });
  assert.ok(existsSync(join(root, 'dist', 'src', 'lab', 'worker.js')) && !existsSync(join(root, 'dist', 'bundle')));
  assert.deepEqual(modules!.summary, bundled!.summary);
  assert.ok(modules!.model.equals(bundled!.model), 'the same trained weights');
  assert.equal(modules!.eval, bundled!.eval);
  assert.match(bundled!.eval, /Linear\(784, 200\) → Sigmoid → LayerNorm\(200\)/);
  rmSync(join(root, 'dist', 'src'), { recursive: true });
  const missing = spawnSync(process.execPath, [join(root, 'bin', 'kindling.js'), '--version'], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /the compiled code is missing; run `npm install`/);
});

test('classes keep their names in the bundle (messages and printed models name them)', () => {
  const text = bundleFiles().map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const name of ['Tensor', 'Sequential', 'Linear', 'KindlingError', 'MnistDataset']) {
    // esbuild's keepNames: each class sets its own name when defined.
    assert.ok(text.includes(`__name(this, "${name}")`), name);
  }
});

test('a bundle with a file gone: a plain message naming it and how to build again, no stack trace', () => {
  const root = scratchDir('kindling-brokenbundle-');
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist'));
  copyFileSync(join(repoRoot(), 'bin', 'kindling.js'), join(root, 'bin', 'kindling.js'));
  cpSync(BUNDLE, join(root, 'dist', 'bundle'), { recursive: true });
  for (const name of ['src', 'bench', 'kernels.wasm', 'kernels-native.wasm']) symlinkSync(join(repoRoot(), 'dist', name), join(root, 'dist', name));
  // A chunk the command's entry imports as it loads.
  const chunk = /from "\.\.\/(chunks\/chunk-[\w-]+\.js)"/.exec(readFileSync(MAIN.bundle, 'utf8'))?.[1];
  assert.ok(chunk !== undefined);
  rmSync(join(root, 'dist', 'bundle', chunk));
  const r = spawnSync(process.execPath, [join(root, 'bin', 'kindling.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^kindling: the compiled code is incomplete \\(\\S*${chunk.replace('.', '\\.')} is missing\\); run \`npm install\` \\(or \`npm run build\`\\) again\\.\\n$`));
  const debug = spawnSync(process.execPath, [join(root, 'bin', 'kindling.js'), '--version', '--debug'], { encoding: 'utf8' });
  assert.notEqual(debug.status, 0);
  assert.match(debug.stderr, /ERR_MODULE_NOT_FOUND/);
});
