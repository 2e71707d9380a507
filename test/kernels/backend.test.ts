// kindling-test: own process (it checks which backend a fresh process starts with)
// Choosing the kernels: the default, setBackend, KINDLING_BACKEND, and a clean fallback to the reference kernels
// when dist/kernels.wasm is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BackendError, getBackend, setBackend, wasmAvailable } from '../../src/kernels/backend.js';
import { KindlingError } from '../../src/errors.js';

const distSrc = fileURLToPath(new URL('../../src/', import.meta.url));

/** Runs a snippet in a fresh Node process that imports the backend module from `srcDir`. */
function child(srcDir: string, code: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const url = new URL('kernels/backend.js', `file://${srcDir.endsWith('/') ? srcDir : `${srcDir}/`}`).href;
  const script = `const b = await import(${JSON.stringify(url)}); ${code}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KINDLING_BACKEND: '', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the wasm kernels are the default when they load; setBackend switches both ways', () => {
  assert.ok(wasmAvailable(), 'dist/kernels.wasm did not load: run `npm run build` first');
  assert.equal(getBackend(), process.env['KINDLING_BACKEND'] === 'ref' ? 'ref' : 'wasm');
  setBackend('ref');
  assert.equal(getBackend(), 'ref');
  setBackend('wasm');
  assert.equal(getBackend(), 'wasm');
});

test('an unknown backend name is a clear KindlingError', () => {
  assert.throws(() => setBackend('gpu' as never), (e: unknown) => {
    assert.ok(e instanceof BackendError && e instanceof KindlingError);
    assert.match(e.message, /unknown backend "gpu"; expected 'ref' or 'wasm'/);
    return true;
  });
  assert.equal(getBackend(), 'wasm', 'a failed call changes nothing');
});

test('KINDLING_BACKEND=ref selects the reference kernels; a bad value is a clear error', () => {
  const ref = child(distSrc, 'console.log(b.getBackend());', { KINDLING_BACKEND: 'ref' });
  assert.equal(ref.stdout.trim(), 'ref', ref.stderr);
  const wasm = child(distSrc, 'console.log(b.getBackend());', { KINDLING_BACKEND: 'wasm' });
  assert.equal(wasm.stdout.trim(), 'wasm', wasm.stderr);
  const bad = child(distSrc, 'try { b.getBackend(); } catch (e) { console.log(e.name + ": " + e.message); }', { KINDLING_BACKEND: 'fast' });
  assert.equal(bad.stdout.trim(), `BackendError: KINDLING_BACKEND must be 'ref' or 'wasm', got "fast"`);
});

test('without dist/kernels.wasm Kindling runs on the reference kernels, and says why when wasm was asked for', () => {
  // A copy of the compiled sources with no kernels.wasm beside them, inside the repository so that packages
  // still resolve from its node_modules.
  const dir = mkdtempSync(join(fileURLToPath(new URL('../../', import.meta.url)), '.test-nowasm-'));
  try {
    cpSync(distSrc, join(dir, 'dist', 'src'), { recursive: true });
    const src = join(dir, 'dist', 'src');
    const silent = child(src, 'console.log(b.getBackend(), b.wasmAvailable());');
    assert.equal(silent.status, 0, silent.stderr);
    assert.equal(silent.stdout.trim(), 'ref false');
    assert.equal(silent.stderr, '');
    const asked = child(src, 'console.log(b.getBackend());', { KINDLING_BACKEND: 'wasm' });
    assert.equal(asked.stdout.trim(), 'ref');
    assert.match(asked.stderr, /KINDLING_BACKEND=wasm but the WebAssembly kernels are not available \(.*kernels\.wasm is missing/);
    const set = child(src, 'try { b.setBackend("wasm"); } catch (e) { console.log(e.name + ": " + e.message); }');
    assert.match(set.stdout, /^BackendError: setBackend\('wasm'\): the WebAssembly kernels are not available: .*kernels\.wasm is missing \(run npm run build\)/);
    // Handed the bytes (as a browser worker would fetch them), the wasm kernels become active.
    const wasmFile = fileURLToPath(new URL('../../kernels.wasm', import.meta.url));
    const handed = child(src, `const fs = await import('node:fs');
      b.useWasmKernels(new Uint8Array(fs.readFileSync(${JSON.stringify(wasmFile)})));
      console.log(b.getBackend());`);
    assert.equal(handed.stdout.trim(), 'wasm', handed.stderr);
    const junk = child(src, 'try { b.useWasmKernels(new Uint8Array([1, 2, 3])); } catch (e) { console.log(e.name, b.getBackend()); }');
    assert.equal(junk.stdout.trim(), 'BackendError ref');
    // Training still works on the reference kernels.
    const idx = new URL('index.js', `file://${src}/`).href;
    const train = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { nn, optim, tensor, manualSeed } = await import(${JSON.stringify(idx)});
      manualSeed(0);
      const m = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid());
      const opt = new optim.Adam(m.parameters());
      const loss = new nn.MSELoss().forward(m.forward(tensor([1, 0, 0.5, 0])), tensor([0, 1, 0]));
      opt.zeroGrad(); loss.backward(); opt.step();
      console.log(Number.isFinite(loss.item()));`], { encoding: 'utf8', env: { ...process.env, KINDLING_BACKEND: '' } });
    assert.equal(train.stdout.trim(), 'true', train.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
