// Compares randn's float32 log and sin/cos (src/random.ts: logf32, sincosf32) with PyTorch's own avx_mathfun.h
// compiled as PyTorch compiles its AVX2 kernels (g++ -O2 -mavx2 -mfma, GCC fusing multiply-adds by default), on
// every input randn can give them: log(1 − u) and sincos(float32(2π)·u) for all 2^24 float32 uniforms u = k·2^-24.
// Prints how many differ. Needs g++ and PyTorch's C++ headers (Debian: libtorch-dev, which puts the header at
// /usr/include/ATen/native/cpu/avx_mathfun.h; or pass the include folder as the argument). Run after
// `npm run build`:
//   node scripts/check-randn-kernel.mjs [include-dir]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logf32, sincosf32 } from '../dist/src/random.js';

const include = process.argv[2] ?? '/usr/include';
if (!existsSync(join(include, 'ATen/native/cpu/avx_mathfun.h'))) {
  throw new Error(`no ATen/native/cpu/avx_mathfun.h under ${include}: install PyTorch's C++ headers or name their folder`);
}

// Writes log, then sin, then cos of the 2^24 inputs, as float32, to the file named by argv[1].
const harness = `
#define CPU_CAPABILITY_AVX2
#include <immintrin.h>
#include <ATen/native/cpu/avx_mathfun.h>
#include <cstdio>
#include <vector>
int main(int, char **argv) {
  const int n = 1 << 24;
  std::vector<float> out(3 * (size_t)n);
  const __m256 one = _mm256_set1_ps(1.0f), two_pi = _mm256_set1_ps((float)(2.0 * 3.14159265358979323846));
  const __m256 step = _mm256_set1_ps(1.0f / 16777216.0f);
  for (int k = 0; k < n; k += 8) {
    __m256i ks = _mm256_add_epi32(_mm256_set1_epi32(k), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256 u = _mm256_mul_ps(_mm256_cvtepi32_ps(ks), step);
    __m256 s, c;
    sincos256_ps(_mm256_mul_ps(two_pi, u), &s, &c);
    _mm256_storeu_ps(&out[k], log256_ps(_mm256_sub_ps(one, u)));
    _mm256_storeu_ps(&out[n + k], s);
    _mm256_storeu_ps(&out[2 * (size_t)n + k], c);
  }
  FILE *f = std::fopen(argv[1], "wb");
  if (!f || std::fwrite(out.data(), 4, out.size(), f) != out.size() || std::fclose(f) != 0) return 1;
  return 0;
}
`;

const dir = mkdtempSync(join(tmpdir(), 'kindling-randn-'));
try {
  writeFileSync(join(dir, 'harness.cpp'), harness);
  const cc = spawnSync('g++', ['-O2', '-mavx2', '-mfma', '-I', include, 'harness.cpp', '-o', 'harness'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`g++ failed:\n${cc.stderr}`);
  const run = spawnSync(join(dir, 'harness'), [join(dir, 'out.bin')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the harness failed: ${run.stderr}`);
  const buf = readFileSync(join(dir, 'out.bin'));
  const n = 1 << 24;
  const ref = new Uint32Array(buf.buffer, buf.byteOffset, 3 * n);
  const one = new Float32Array(1);
  const bits = new Uint32Array(one.buffer);
  const sc = new Float64Array(2);
  const twoPi = Math.fround(2 * Math.PI);
  const differ = [0, 0, 0];
  const examples = [];
  const check = (which, k, v) => {
    one[0] = v;
    if (bits[0] === ref[which * n + k]) return;
    differ[which]++;
    if (examples.length < 10) examples.push(`${['log', 'sin', 'cos'][which]} at u = ${k}·2^-24: ${one[0]}, avx_mathfun.h ${new Float32Array(ref.buffer, ref.byteOffset + 4 * (which * n + k), 1)[0]}`);
  };
  for (let k = 0; k < n; k++) {
    const u = k * 2 ** -24;
    check(0, k, logf32(Math.fround(1 - u)));
    sincosf32(Math.fround(twoPi * u), sc);
    check(1, k, sc[0]);
    check(2, k, sc[1]);
  }
  console.log(`2^24 uniforms: log differs for ${differ[0]}, sin for ${differ[1]}, cos for ${differ[2]}`);
  for (const line of examples) console.log(`  ${line}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
