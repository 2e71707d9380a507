// The two builds of the kernels (assembly/subnormals.ts): dist/kernels.wasm emulates float32 subnormals exactly,
// dist/kernels-native.wasm lets float32 arithmetic take them. The loader picks one by timing the core; both must
// give the reference's bits, so the Adam tests run here under each build, whichever this machine picks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KindlingError } from '../../src/errors.js';
import { chooseSubnormals, FULL_SPEED_RATIO, moduleProbe, probeSubnormals, subnormalsFromEnv } from '../../src/kernels/wasm/subnormals.js';

const dist = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a snippet in a fresh Node process that imports the backend module from `distDir`/src. */
function child(distDir: string, code: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const url = new URL('src/kernels/backend.js', `file://${distDir.endsWith('/') ? distDir : `${distDir}/`}`).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const b = await import(${JSON.stringify(url)}); ${code}`], {
    env: { ...process.env, KINDLING_BACKEND: '', KINDLING_SUBNORMALS: '', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A probe that takes `normalMs` for scale 1 and `subMs` for a subnormal scale on its own clock (`now`), the first
 * call of each kind `extraMs` longer (as a first call that compiles would be).
 */
function fakeProbe(normalMs: number, subMs: number, extraMs = 0): { probe: (scale: number, rounds: number) => number; now: () => number; calls: number[] } {
  const calls: number[] = [];
  let clock = 0;
  const probe = (scale: number): number => {
    const first = !calls.includes(scale);
    calls.push(scale);
    clock += (scale === 1 ? normalMs : subMs) + (first ? extraMs : 0);
    return 0;
  };
  return { probe, now: () => clock, calls };
}

test('the probe measures how much slower subnormal products are, and the choice follows it', () => {
  const slow = fakeProbe(1, 20, 50);
  assert.equal(probeSubnormals(slow.probe, 8192, slow.now), 20, 'the warm-up call is not counted');
  // A warm-up call, then three alternated pairs: a slow core never passes, so all three are tried.
  assert.deepEqual(slow.calls, [1, 1, 2 ** -140, 1, 2 ** -140, 1, 2 ** -140]);
  const fast = fakeProbe(1, 1.5);
  assert.equal(probeSubnormals(fast.probe, 8192, fast.now), 1.5);
  assert.equal(fast.calls.length, 3, 'the first pair at full speed decides');
  // The ratio is of the fastest timings of each kind: a first pair slowed down by a compile does not decide.
  const late = fakeProbe(1, 1, 10);
  assert.equal(probeSubnormals(late.probe, 8192, late.now), 1);
  assert.equal(late.calls.length, 5);
  const saved = process.env['KINDLING_SUBNORMALS'];
  try {
    delete process.env['KINDLING_SUBNORMALS'];
    const emulated = fakeProbe(1, 20);
    assert.equal(chooseSubnormals(emulated.probe, emulated.now).mode, 'emulated');
    const even = fakeProbe(1, FULL_SPEED_RATIO);
    const native = chooseSubnormals(even.probe, even.now);
    assert.equal(native.mode, 'native');
    assert.equal(native.why, 'subnormal float32 products 2.0× the time of normal ones');
    process.env['KINDLING_SUBNORMALS'] = 'emulated';
    const forced = chooseSubnormals(fakeProbe(1, 1).probe);
    assert.deepEqual(forced, { mode: 'emulated', why: 'KINDLING_SUBNORMALS=emulated' });
    process.env['KINDLING_SUBNORMALS'] = 'auto';
    assert.equal(subnormalsFromEnv(), undefined);
    process.env['KINDLING_SUBNORMALS'] = 'fast';
    assert.throws(() => subnormalsFromEnv(), (e: unknown) => {
      assert.ok(e instanceof KindlingError);
      assert.equal(e.message, `KINDLING_SUBNORMALS must be 'auto', 'native' or 'emulated', got "fast"`);
      return true;
    });
  } finally {
    if (saved === undefined) delete process.env['KINDLING_SUBNORMALS'];
    else process.env['KINDLING_SUBNORMALS'] = saved;
  }
});

test('the build loads as chosen: KINDLING_SUBNORMALS forces either, the probe picks one, a bad value is an error', () => {
  const show = 'const w = b.wasmBuild(); console.log(b.getBackend(), w.mode, JSON.stringify(w.why));';
  const native = child(dist, show, { KINDLING_SUBNORMALS: 'native' });
  assert.equal(native.stdout.trim(), 'wasm native "KINDLING_SUBNORMALS=native"', native.stderr);
  const emulated = child(dist, show, { KINDLING_SUBNORMALS: 'emulated' });
  assert.equal(emulated.stdout.trim(), 'wasm emulated "KINDLING_SUBNORMALS=emulated"', emulated.stderr);
  const auto = child(dist, show);
  assert.match(auto.stdout.trim(), /^wasm (native|emulated) "subnormal float32 products \d+\.\d× the time of normal ones"$/, auto.stderr);
  const bad = child(dist, 'try { b.getBackend(); } catch (e) { console.log(e.name + ": " + e.message); }', { KINDLING_SUBNORMALS: 'yes' });
  assert.equal(bad.stdout.trim(), `KindlingError: KINDLING_SUBNORMALS must be 'auto', 'native' or 'emulated', got "yes"`);
  // The files are the two builds they claim to be, and not the same.
  const a = readFileSync(join(dist, 'kernels.wasm'));
  const n = readFileSync(join(dist, 'kernels-native.wasm'));
  assert.notDeepEqual(a, n);
  const flag = (bytes: Buffer): number => {
    const e = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {
      env: { memory: new WebAssembly.Memory({ initial: 16, maximum: 16 }), abort: () => undefined },
    }).exports as { nativeSubnormals(): number };
    return e.nativeSubnormals();
  };
  assert.equal(flag(a), 0);
  assert.equal(flag(n), 1);
  // The probe a browser page runs on a throwaway instance: with no rounds it returns the first lanes' sum,
  // 1 + 1.125 + … + 1.875 = 11.5 times the scale; each round multiplies by 0.999 in float32.
  const probe = moduleProbe(new WebAssembly.Module(new Uint8Array(a)));
  assert.equal(probe(1, 0), 11.5);
  assert.equal(probe(2, 0), 23);
  const once = probe(1, 1);
  assert.ok(once < 11.5 && once > 11.48, `one round: ${once}`);
  assert.ok(probe(2 ** -140, 100) > 0, 'subnormal chains stay subnormal, not zero');
});

test('a page fetches the emulating build, probes it, and hands over the build chosen (fetched as the server gives it)', () => {
  // The browser's path (src/web/client/kernels.ts) in Node: reference kernels first, fetch served from dist/web/.
  // No crossOriginIsolated: the kernels' memory is not shared, so a page that is not isolated runs them too.
  const client = new URL('src/web/client/kernels.js', `file://${dist}`).href;
  const code = `const { useFastKernels } = await import(${JSON.stringify(client)});
    const fs = await import('node:fs');
    const fetched = [];
    globalThis.fetch = async (url) => {
      fetched.push(url);
      const bytes = fs.readFileSync(${JSON.stringify(join(dist, 'web'))} + url.replace('/assets', ''));
      return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
    };
    console.log(b.getBackend(), await useFastKernels(), b.getBackend(), b.wasmBuild().mode, fetched.join(' '));`;
  const native = child(dist, code, { KINDLING_BACKEND: 'ref', KINDLING_SUBNORMALS: 'native' });
  assert.equal(native.stdout.trim(), 'ref null wasm native /assets/kernels.wasm /assets/kernels-native.wasm', native.stderr);
  const emulated = child(dist, code, { KINDLING_BACKEND: 'ref', KINDLING_SUBNORMALS: 'emulated' });
  assert.equal(emulated.stdout.trim(), 'ref null wasm emulated /assets/kernels.wasm', emulated.stderr);
});

test('without dist/kernels-native.wasm the emulating kernels run, and say why', () => {
  // Inside dist/, so that packages still resolve from the repository's node_modules.
  const dir = mkdtempSync(join(dist, '.test-nonative-'));
  try {
    cpSync(join(dist, 'src'), join(dir, 'dist', 'src'), { recursive: true });
    copyFileSync(join(dist, 'kernels.wasm'), join(dir, 'dist', 'kernels.wasm'));
    const r = child(join(dir, 'dist'), 'const w = b.wasmBuild(); console.log(b.getBackend(), w.mode, w.why);', { KINDLING_SUBNORMALS: 'native' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'wasm emulated dist/kernels-native.wasm is missing (run npm run build)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The tests that drive Adam's kernels through tiny, subnormal and zero moments (and the chapter's variants on both
// backends), run under each build: each compares against the reference kernels bit for bit.
const ADAM_TESTS = ['kernels/optim.test.js', 'kernels/adam-quiet.test.js', 'speed/owed-adam.test.js', 'speed/quiet-adam.test.js', 'kernels/training.test.js'];

for (const mode of ['native', 'emulated'] as const) {
  test(`the Adam kernel tests pass with the ${mode} build`, () => {
    const files = ADAM_TESTS.map((f) => join(dist, 'test', f));
    // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], {
      env: { ...env, KINDLING_BACKEND: '', KINDLING_SUBNORMALS: mode },
      encoding: 'utf8',
    });
    const count = (what: string): number => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(r.stdout)?.[1] ?? NaN);
    assert.equal(r.status, 0, `${r.stdout.split('\n').filter((l) => /^\s*not ok|error|expected|actual/.test(l)).slice(0, 20).join('\n')}\n${r.stderr}`);
    assert.ok(count('pass') >= 30, `only ${count('pass')} tests passed`);
    assert.equal(count('fail'), 0);
  });
}
