// Which of the two builds of the kernels this is (scripts/build.mjs makes both from these sources). Float32
// arithmetic on subnormals (|x| < 2^-126) costs many x86 cores a microcode assist of a hundred cycles or more, and
// Adam's moments decay through there: dist/kernels.wasm keeps subnormals off the float unit (exact float64 paths,
// exact.ts and decay.ts, behind checks for tiny values). Other cores (AMD Zen among them) compute them at full
// speed: there dist/kernels-native.wasm, built with --use KINDLING_NATIVE_SUBNORMALS=1, leaves the checks and the
// emulation out and lets float32 arithmetic handle them (keeping one shortcut, for tiny gradients' squares, whose
// underflow Zen 4 still pays for: see litRow). Both give the same bits: the emulation is exact, and the checks
// steer speed only. The loader times subnormalProbe to choose (src/kernels/wasm/subnormals.ts).

/** This build lets float32 arithmetic take subnormals (no checks for tiny values, no emulation). */
// @ts-ignore: compile-time constant from asc's --use
export const NATIVE_SUBNORMALS: bool = isDefined(KINDLING_NATIVE_SUBNORMALS);

/** 1 in dist/kernels-native.wasm, 0 in dist/kernels.wasm: lets the loader check which file it instantiated. */
export function nativeSubnormals(): i32 {
  return NATIVE_SUBNORMALS ? 1 : 0;
}

/**
 * `rounds` products by 0.999 in each of eight independent chains of four lanes, starting near `scale`: with scale
 * 2^-140 every product has a subnormal input and result, with scale 1 none does. The loader compares the two times.
 * Returns a sum of the lanes, so that the work is not optimized away.
 */
export function subnormalProbe(scale: f32, rounds: i32): f32 {
  const c = f32x4.splat(0.999);
  let a0 = f32x4.splat(scale), a1 = f32x4.splat(scale * 1.125), a2 = f32x4.splat(scale * 1.25), a3 = f32x4.splat(scale * 1.375);
  let a4 = f32x4.splat(scale * 1.5), a5 = f32x4.splat(scale * 1.625), a6 = f32x4.splat(scale * 1.75), a7 = f32x4.splat(scale * 1.875);
  for (let r = 0; r < rounds; r++) {
    a0 = f32x4.mul(a0, c); a1 = f32x4.mul(a1, c); a2 = f32x4.mul(a2, c); a3 = f32x4.mul(a3, c);
    a4 = f32x4.mul(a4, c); a5 = f32x4.mul(a5, c); a6 = f32x4.mul(a6, c); a7 = f32x4.mul(a7, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}
