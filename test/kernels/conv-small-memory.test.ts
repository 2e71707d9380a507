// Convolutions and max pooling split a large batch by the size of the kernels' memory, not by a fixed byte count:
// with a small V8 heap the memory is small (an eighth of the heap limit), and a batch that would not fit in it
// whole still runs on the wasm kernels, in parts, with the reference kernels' bits.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { requireWasm } from './helpers.js';

const INDEX = new URL('../../src/index.js', import.meta.url).href;

// 1,000 images of 28×28 through Conv2d(1, 16, 3) and MaxPool2d(2): the conv's input and output are about 46 MB, its
// backward's arrays about 50 MB, against a kernels' memory of about 38 MiB under a 256 MiB heap.
const SCRIPT = `
const { nn, randn, manualSeed, setBackend, getBackend } = await import(${JSON.stringify(INDEX)});
const { getHeapStatistics } = await import('node:v8');
function run(backend) {
  setBackend(backend);
  manualSeed(3);
  const conv = new nn.Conv2d(1, 16, 3);
  const pool = new nn.MaxPool2d(2);
  const x = randn([1000, 1, 28, 28], { requiresGrad: true });
  const y = pool.forward(conv.forward(x));
  y.sum().backward();
  return { backend: getBackend(), y: y.values(), gx: x.grad.values(), gw: conv.weight.grad.values() };
}
const same = (a, b) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const wasm = run('wasm');
const ref = run('ref');
console.log(JSON.stringify({
  heapMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20), backend: wasm.backend, n: wasm.y.length,
  y: same(wasm.y, ref.y), gx: same(wasm.gx, ref.gx), gw: same(wasm.gw, ref.gw),
}));
`;

test('a conv and max-pool batch larger than the kernels\' memory (256 MiB heap) runs on wasm in parts, with the reference\'s bits', () => {
  requireWasm();
  const out = execFileSync(process.execPath, ['--max-old-space-size=256', '--input-type=module', '-e', SCRIPT], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.ok((r.heapMiB as number) < 400, `heap limit ${String(r.heapMiB)} MiB`);
  assert.deepEqual(r, { heapMiB: r.heapMiB, backend: 'wasm', n: 1000 * 16 * 13 * 13, y: true, gx: true, gw: true });
});
