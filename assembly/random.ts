// Dropout's keep mask drawn from an mt19937 state, exactly as src/random.ts's Generator draws it: per element one
// `uniform64` (the high 21 bits of one tempered 32-bit output and all of the next, times 2^-53), compared with the
// keep probability. The state is the Generator's (624 words) with the index of its next word.

const N = 624;
const M = 397;

/**
 * out[i] = scale where the i-th draw is below `keep`, else +0, for i < n; the state advances as n `uniform64` calls
 * advance it. Returns the new index.
 */
export function keepMask(state: usize, index: i32, n: i32, keep: f64, scale: f32, out: usize): i32 {
  for (let i = 0; i < n; i++) {
    let hi: u32, lo: u32;
    if (index < N - 1) {
      hi = temper(load<u32>(state + (<usize>index << 2)));
      lo = temper(load<u32>(state + (<usize>(index + 1) << 2)));
      index += 2;
    } else {
      // The two words straddle a twist: one at a time, as nextUint32 takes them.
      if (index >= N) {
        twist(state);
        index = 0;
      }
      hi = temper(load<u32>(state + (<usize>index << 2)));
      index++;
      if (index >= N) {
        twist(state);
        index = 0;
      }
      lo = temper(load<u32>(state + (<usize>index << 2)));
      index++;
    }
    const u = (<f64>(hi & 0x1fffff) * 4294967296.0 + <f64>lo) * 1.1102230246251565e-16;
    store<f32>(out + (<usize>i << 2), u < keep ? scale : 0);
  }
  return index;
}

// @ts-ignore: decorator
@inline function temper(y: u32): u32 {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y;
}

/** The recurrence of Generator's twist, in place and in the same order, without its `%` (three stretches). */
function twist(mt: usize): void {
  let i = 0;
  for (; i < N - M; i++) word(mt, i, i + 1, i + M);
  for (; i < N - 1; i++) word(mt, i, i + 1, i + M - N);
  word(mt, N - 1, 0, M - 1);
}

// @ts-ignore: decorator
@inline function word(mt: usize, i: i32, next: i32, far: i32): void {
  const y = (load<u32>(mt + (<usize>i << 2)) & 0x80000000) | (load<u32>(mt + (<usize>next << 2)) & 0x7fffffff);
  store<u32>(mt + (<usize>i << 2), load<u32>(mt + (<usize>far << 2)) ^ (y >>> 1) ^ ((0 - (y & 1)) & 0x9908b0df));
}
