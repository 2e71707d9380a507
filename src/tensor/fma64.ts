// a·b + c in float64 rounded once, as a compiled C++ kernel's fused multiply-add computes it in doubles (PyTorch's
// arange: start + step·i). JavaScript has no Math.fma, and a·b + c rounds twice, which moves the result by an ulp now
// and then (and a float32 made from it, when that ulp straddles a float32 rounding boundary).
//
// Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved algorithms using rounding
// to odd", IEEE TC 2008): the product split exactly into two doubles (Veltkamp–Dekker), c added to its high part
// exactly (Knuth's two-sum), the two low parts added with rounding to odd, and that added to the high sum with
// the ordinary rounding, which then rounds the exact a·b + c once.

const SPLITTER = 134217729; // 2^27 + 1
const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);

/** x rounded to the nearest double with an odd last bit, given the error `err` of the sum that made it (0 if exact). */
function toOdd(x: number, err: number): number {
  if (err === 0 || !Number.isFinite(x)) return x;
  bits[0] = x;
  if ((word[0]! & 1n) === 1n) return x;
  // x is the even neighbour of the exact sum; the odd one lies on err's side of it.
  word[0] = word[0]! + ((x > 0) === (err > 0) ? 1n : -1n);
  return bits[0]!;
}

/**
 * a·b + c with one rounding (float64). Exact while a·b neither overflows nor loses bits below the smallest normal
 * double, which arange's start, step and counts never approach; beyond that it falls back to a·b + c.
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (p === 0 || c === 0 || !Number.isFinite(p) || !Number.isFinite(c) || Math.abs(p) < 1e-290 || Math.abs(a) > 1e290 || Math.abs(b) > 1e290) return p + c;
  // p + e = a·b exactly.
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // s + t = p + c exactly.
  const s = p + c;
  const v = s - p;
  const t = (p - (s - v)) + (c - v);
  // e + t rounded to odd, then added to s with one rounding.
  const u = e + t;
  const w = u - e;
  const uErr = (e - (u - w)) + (t - w);
  return s + toOdd(u, uErr);
}
