// A power the schedulers can share with Python: see powInt.

/**
 * x^n for a whole n ≥ 0, correctly rounded as C's pow (which Python's `**` calls) returns it: V8's `**` can be
 * an ulp off (0.9 ** 4 is 0.6561000000000001 there, 0.6561 in Python). Binary powering in double-double
 * arithmetic (Dekker's exact products), rounded once at the end.
 */
export function powInt(x: number, n: number): number {
  let hi = 1;
  let lo = 0;
  let bh = x;
  let bl = 0;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) [hi, lo] = ddMul(hi, lo, bh, bl);
    if (k > 1) [bh, bl] = ddMul(bh, bl, bh, bl);
  }
  return hi + lo;
}

/** (ah + al)·(bh + bl) as a double-double: the exact product of the heads plus the cross terms. */
function ddMul(ah: number, al: number, bh: number, bl: number): [number, number] {
  const p = ah * bh;
  const [a1, a2] = split(ah);
  const [b1, b2] = split(bh);
  const e = a1 * b1 - p + a1 * b2 + a2 * b1 + a2 * b2 + (ah * bl + al * bh);
  const s = p + e;
  return [s, e - (s - p)];
}

/** Veltkamp's split of a double into two halves of 26 bits, whose products are exact. */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/**
 * Python's float ** float for a base ≥ 0: a whole power ≥ 0 as powInt (correctly rounded, as C's pow), another
 * with JavaScript's `**`, which may differ from C's pow in the last bit.
 */
export function pyPow(x: number, p: number): number {
  return Number.isInteger(p) && p >= 0 ? powInt(x, p) : x ** p;
}
