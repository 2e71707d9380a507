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
 * Python's float ** float for a base ≥ 0, correctly rounded: as C's pow (glibc's, within 0.52 ulp) gives it but on rare
 * near-ties (3 of 18,614 random pairs, where this one is the correctly rounded). A whole
 * power ≥ 0 as powInt; another as exp(p·log x) in double-double arithmetic, rounded once at the end, since V8's `**`
 * is an ulp off C's for about one fractional power in ten (0.9 ** 2.5). For the schedulers' few calls, not kernels.
 */
export function pyPow(x: number, p: number): number {
  if (Number.isInteger(p) && p >= 0) return powInt(x, p);
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(p)) return x ** p;
  const [lh, ll] = ddLog(x);
  return ddExp(...ddMul(lh, ll, p, 0));
}

const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
/** exp's reduced argument is halved this many times, and its exponential squared back as many. */
const HALVINGS = 10;
/** Taylor terms of exp(r) − 1 for |r| ≤ ln 2 / 2^(HALVINGS+1): the next is below 2^-106. */
const TERMS = 9;

/** log x (x > 0, finite) as a double-double: Math.log's estimate y, then Newton's step y + x·exp(−y) − 1. */
function ddLog(x: number): [number, number] {
  const y = Math.log(x);
  const k = Math.round(-y / LN2_HI);
  const [eh, el] = ddExpParts(-y, 0, k);
  const [ph, pl] = ddMul(eh, el, scale2(x, k), 0);
  const [dh, dl] = ddAdd(ph, pl, -1, 0);
  return ddAdd(y, 0, dh, dl);
}

/** e^(ah + al), correctly rounded to a double (but within about 2^-85 of a tie). */
function ddExp(ah: number, al: number): number {
  const k = Math.round(ah / LN2_HI);
  const [h, l] = ddExpParts(ah, al, k);
  return scale2(h + l, k);
}

/** v·2^k, in two factors, as 2^k alone overflows past k = 1023 (for a base or a power near the ends of the doubles). */
function scale2(v: number, k: number): number {
  const half = Math.trunc(k / 2);
  return v * 2 ** half * 2 ** (k - half);
}

/** e^(ah + al) / 2^k as a double-double: e^r for r = a − k·ln 2, as (1 + (e^(r/2^10) − 1))^(2^10). */
function ddExpParts(ah: number, al: number, k: number): [number, number] {
  const [kh, kl] = ddMul(LN2_HI, LN2_LO, k, 0);
  let [rh, rl] = ddAdd(ah, al, -kh, -kl);
  rh /= 2 ** HALVINGS;
  rl /= 2 ** HALVINGS;
  // e^r − 1 = r·(1 + r/2·(1 + r/3·(1 + …))), by Horner's rule.
  let [uh, ul] = [1, 0];
  for (let i = TERMS; i >= 2; i--) [uh, ul] = ddAdd(1, 0, ...ddDivInt(...ddMul(rh, rl, uh, ul), i));
  let [sh, sl] = ddMul(rh, rl, uh, ul);
  // (1 + s)² = 1 + (2s + s²): squaring the part below 1 keeps its bits.
  for (let i = 0; i < HALVINGS; i++) [sh, sl] = ddAdd(2 * sh, 2 * sl, ...ddMul(sh, sl, sh, sl));
  return ddAdd(1, 0, sh, sl);
}

/** (ah + al) + (bh + bl) as a double-double (Knuth's two-sum of the heads, the tails added to its error). */
function ddAdd(ah: number, al: number, bh: number, bl: number): [number, number] {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  const r = s + e;
  return [r, e - (r - s)];
}

/** (ah + al) / n for a small whole n, as a double-double: the head's quotient, then the remainder's. */
function ddDivInt(ah: number, al: number, n: number): [number, number] {
  const q = ah / n;
  const [ph, pl] = ddMul(q, 0, n, 0);
  const rem = ah - ph - pl + al;
  const q2 = rem / n;
  const r = q + q2;
  return [r, q2 - (r - q)];
}
