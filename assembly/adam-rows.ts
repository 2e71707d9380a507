// Adam over a weight stored in rows (a Linear weight, one row per input pixel) with the gradient's list of rows:
// each row is updated by the path its age calls for (adam-recent.ts, adam-old.ts), all giving the reference's bits.
import { adamOne, bc2Inverse } from './adam';
import { OLD_STILL, OLD_V_ONLY, oldRow } from './adam-old';
import { max4, payDecays, payDecaysSigned, quietStill } from './adam-quiet';
import { litRow, smallestNonzero, youngRow } from './adam-recent';
import { payRow, RING, ringPut, ringStill } from './adam-owed';
import { NATIVE_SUBNORMALS } from './subnormals';

/** True when n floats of m and of v are all +0 (bit pattern 0). */
function allZero(m: usize, v: usize, n: i32): bool {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = v128.or(acc, v128.or(v128.load(m + (<usize>i << 2)), v128.load(v + (<usize>i << 2))));
  let rest: i32 = 0;
  for (; i < n; i++) rest |= load<i32>(m + (<usize>i << 2)) | load<i32>(v + (<usize>i << 2));
  return !v128.any_true(acc) && rest == 0;
}

/** The largest |x| bit pattern over a row's vectors. */
function maxAbs(x: usize, vecEnd: usize): i32 {
  let hi = i32x4.splat(0);
  for (let q: usize = 0; q < vecEnd; q += 16) hi = i32x4.max_u(hi, v128.and(v128.load(x + q), i32x4.splat(0x7fffffff)));
  return <i32>max4(hi);
}

/**
 * Rows without gradient for fewer steps than this take the full update (youngRow), without trying the still-row
 * shortcuts of older rows: their updates of p are rarely negligible.
 */
const YOUNG_ROW = 256;
/** Rows without gradient for this many steps are checked (every 64 steps) for an all-zero state. */
const OLD_ROW = 300;
/**
 * Rows with a gradient and young rows are checked for tiny values at every step once some were seen, and every
 * this many steps otherwise (early in training there are none, and the checks cost a tenth of the update).
 */
const CHECK_EVERY = 16;
/** adamRows flag: rows may go quiet (see adam-quiet.ts). */
const QUIET = 16;
/** adamRows flag (with QUIET): young rows without gradient owe their updates until read (see adam-owed.ts). */
const DEFER = 32;
/**
 * adamRows flag (with QUIET): p holds what this kernel left in it at its previous call on this state — nobody else has
 * written it since. Then a quiet row whose p passed the quiet check at the previous call passes it again with the same
 * kStill (the same p, bound and kStill give the same answer), and the check is skipped; any other kStill (a changed
 * learning rate or eps, or the bias correction early in training) checks every quiet row as before.
 */
const KEPT = 64;

/**
 * Adam (plain rule) over a buffer of `nrows` storage rows of `width`, using what the gradient's row list says:
 * rows not listed have g = +0 exactly, so their g is never read. `ages` (i32 per row, kept by the caller between
 * steps) counts the steps since each row last had a gradient, or is −1 for a row found to hold m = v = +0 (checked
 * again at every step); it is followed by adamRowsExtra(width) i32 for the checks of CHECK_EVERY (zeros to start
 * with).
 *
 * Rows with a gradient, and rows without one for fewer than YOUNG_ROW steps, take the plain float32 update (the
 * exact path for vectors with tiny values). With
 * flag 8 (lr > 0, eps > 0) two exact shortcuts apply to older rows: an all-zero row changes nothing; and where
 * |m| < |p|·kStill in every lane the update of p is provably below half an ulp of p (kStill = 2^-25·eps/stepSize,
 * with margin: the denominator is at least eps), so only m and v decay and the divisions are skipped — the common
 * case for pixels that have been dark for a while; once m has reached its fixed point (the subnormals ±K·2^-149
 * with K ≤ mFix, where RNE(K·β1) = K) only v changes. Tiny and subnormal moments take exact paths that avoid
 * float32 subnormal arithmetic (slow on x86). Every path computes the same bits as the reference.
 *
 * With `vals` ≠ 0 the gradient is one sample's, given by its factors instead of `g`: listed row t (the list then
 * increasing) has g = 0 + vals[t]·G[0..width), made as its update reaches it (`grow`, two rows of scratch, holds what
 * the rare paths read), and every other row has g = +0.
 *
 * With flag 16 (QUIET: with the shortcuts and rows of a multiple of 4 floats) old rows whose p provably stays go
 * quiet (see adam-quiet.ts): their moments' decays are counted, not applied; and all-zero rows are skipped
 * unchecked: m and v must then be changed by this kernel only until `adamRowsSettle` has paid what quiet rows owe.
 * Their counts and bounds live after the kernel's other words (`adamRowsWords`).
 *
 * With flag 32 (DEFER, with QUIET) young rows without gradient are not updated: each counts the updates it owes (see
 * adam-owed.ts), paid in order with the ring's scalars when the row is lit, turns old, is processed by a call
 * without DEFER, or is read (`adamRowsPay`): p, m and v must then be changed by this kernel only until it has paid.
 *
 * With flag 64 (KEPT, with QUIET) the caller vouches that nobody but this kernel has written p since its previous
 * call on this state: quiet rows are then not checked again while kStill stays the same.
 */
export function adamRows(
  p: usize, g: usize, m: usize, v: usize, width: i32, nrows: i32, ages: usize, rows: usize, nlisted: i32, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, mFix: i32, vFix: i32, tmp: usize,
  vals: usize, G: usize, grow: usize,
): void {
  for (let r = 0; r < nrows; r++) {
    const at = ages + (<usize>r << 2);
    const age = load<i32>(at);
    if (age >= 0 && age < 0x40000000) store<i32>(at, age + 1);
  }
  for (let t = 0; t < nlisted; t++) {
    const row = load<i32>(rows + (<usize>t << 2));
    if (<u32>row < <u32>nrows) store<i32>(ages + (<usize>row << 2), 0); // an index out of range names no row
  }
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2), vstep = f32x4.splat(step), zero = f32x4.splat(0);
  const shortcuts = (flags & 8) != 0;
  const unit = bc2 == 1.0;
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  // After the ages: a step counter, whether the last checked step met tiny values (see CHECK_EVERY), the number of
  // young-row segments, a mark per vector, and the segments.
  const counter = ages + (<usize>nrows << 2);
  const count = load<i32>(counter);
  // The native build (subnormals.ts) never checks: float32 takes tiny values at full speed there.
  const full = !NATIVE_SUBNORMALS && count % CHECK_EVERY == 0;
  const checked = !NATIVE_SUBNORMALS && (load<i32>(counter, 4) != 0 || full);
  store<i32>(counter, (count + 1) & 0x3fffffff);
  const marks = counter + 12;
  const segs = marks + (vecEnd >> 2);
  // Young rows are checked in full at every CHECK_EVERY-th step, their vectors with a tiny m marked; at the other
  // checked steps only the marked vectors are (see youngRow): late in training, those of the hidden units that
  // saturated. With β1 = 0.9, a vector not marked cannot decay from 2^-120 into the subnormals in the meantime (six
  // binades take 40 steps); with a smaller β1, or a gradient that puts it there, it is only slower.
  if (full) memory.fill(marks, 0, vecEnd >> 2);
  const nseg = full ? 0 : load<i32>(counter, 8);
  const quiet = counter + (<usize>adamRowsExtra(width) << 2);
  const lazy = (flags & QUIET) != 0 && shortcuts && vecEnd == rowBytes;
  const defer = lazy && (flags & DEFER) != 0;
  const debts = quiet + (<usize>nrows << 2);
  const lastAt = debts + (<usize>nrows << 2);
  const ring = lastAt + 16;
  const bounds = ring + (<usize>RING << 5);
  const last = (load<i32>(lastAt) + 1) & (RING - 1);
  // The quiet check can be skipped when p is as the previous call left it, with that call's kStill (its ring entry).
  const kept = lazy && (flags & KEPT) != 0 && reinterpret<i32>(ringStill(ring, last - 1)) == reinterpret<i32>(kStill);
  store<i32>(lastAt, last);
  ringPut(ring, last, step, bc2, eps, kStill);
  const zero16 = tmp + 128;
  v128.store(zero16, i32x4.splat(0));
  const factored = vals != 0;
  // The native build's choice of loop for lit rows (see litRow).
  const gMin: f32 = NATIVE_SUBNORMALS && factored ? smallestNonzero(G, width) : Infinity;
  const zeroRow = grow + rowBytes;
  if (factored) memory.fill(zeroRow, 0, rowBytes);
  let tinySeen = false;
  let t = 0;
  for (let r = 0; r < nrows; r++) {
    const base = <usize>r * rowBytes;
    let age = load<i32>(ages + (<usize>r << 2));
    const pr = p + base, mr = m + base, vr = v + base;
    let gr = g + base;
    // A lit row of a one-sample gradient: g = 0 + x·G, made by litRow as it goes (only the last width % 4 floats,
    // which adamOne reads, are written out here).
    let x: f32 = 0;
    let made = false;
    if (factored) {
      gr = zeroRow;
      while (t < nlisted && load<i32>(rows + (<usize>t << 2)) < r) t++;
      if (age == 0 && t < nlisted && load<i32>(rows + (<usize>t << 2)) == r) {
        x = load<f32>(vals + (<usize>t << 2));
        outerTail(grow, x, G, rowBytes, vecEnd);
        gr = grow;
        made = true;
      }
    }
    const da = debts + (<usize>r << 2);
    const debt = load<i32>(da);
    if (defer && age > 0 && age < YOUNG_ROW) {
      // A young row without gradient: its update is owed (see adam-owed.ts), paid when the row is read or lit.
      store<i32>(da, debt + 1);
      continue;
    }
    if (debt > 0) {
      tinySeen = payRow(pr, mr, vr, vecEnd, debt, ring, last - 1, b1, b2, zero16, tmp) || tinySeen;
      store<i32>(da, 0);
    }
    if (lazy) {
      // A quiet row (owed − 1 decays of v owed) stays quiet while unlit and still; else it pays and goes on below.
      const qr = quiet + (<usize>r << 2);
      const owed = load<i32>(qr);
      if (owed > 0) {
        const bound = load<i32>(bounds + (<usize>r << 2));
        if (age >= OLD_ROW && (age & 63) == 0 && allZero(mr, vr, width)) {
          // m = v = +0 (what it owes decays nothing): an all-zero row, skipped from now on without reading p.
          store<i32>(qr, 0);
          store<i32>(ages + (<usize>r << 2), -1);
          continue;
        }
        if (age != 0 && (kept || quietStill(pr, vecEnd, kStill, bound))) {
          store<i32>(qr, owed < 0x40000000 ? owed + 1 : owed);
          if (owed < 0x40000000) continue;
        }
        if (bound > mFix) payDecaysSigned(mr, vecEnd, owed - 1, b1, mFix);
        payDecays(vr, vecEnd, owed - 1, b2, vFix);
        store<i32>(qr, 0);
      }
    }
    if (age < 0 && shortcuts) {
      // Known to hold m = v = +0: nothing changes while it does. One cheap pass checks that it still does (state
      // written from outside between steps would otherwise be missed), unless quiet rows are allowed (QUIET: m and
      // v are the kernel's alone).
      if (lazy || allZero(mr, vr, width)) continue;
      age = OLD_ROW;
      store<i32>(ages + (<usize>r << 2), age);
    }
    if (age == 0) {
      const found = made
        ? (unit
          ? litRow(pr, gr, mr, vr, vecEnd, true, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, true, x, G, gMin)
          : litRow(pr, gr, mr, vr, vecEnd, false, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, true, x, G, gMin))
        : (unit
          ? litRow(pr, gr, mr, vr, vecEnd, true, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, false, 0, 0, Infinity)
          : litRow(pr, gr, mr, vr, vecEnd, false, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, false, 0, 0, Infinity));
      tinySeen = tinySeen || found;
    } else if (age < YOUNG_ROW && age >= 0) {
      const found = unit
        ? youngRow(pr, gr, mr, vr, vecEnd, shortcuts, true, full, marks, segs, checked ? nseg : 0, b1, a1, b2, a2, eps, bc2, step, kStill, tmp)
        : youngRow(pr, gr, mr, vr, vecEnd, shortcuts, false, full, marks, segs, checked ? nseg : 0, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
      tinySeen = tinySeen || found;
    } else {
      if (shortcuts && age >= OLD_ROW && (age & 63) == 0 && allZero(mr, vr, width)) {
        store<i32>(ages + (<usize>r << 2), -1);
        continue;
      }
      const kind = unit
        ? oldRow(pr, gr, mr, vr, vecEnd, shortcuts, true, b1, a1, b2, a2, eps, bc2, step, kStill, mFix, vFix, tmp)
        : oldRow(pr, gr, mr, vr, vecEnd, shortcuts, false, b1, a1, b2, a2, eps, bc2, step, kStill, mFix, vFix, tmp);
      if (lazy && (kind & OLD_STILL) != 0) {
        // p stayed this step: the row goes quiet (nothing owed yet) if its p passes the quiet check for every m up
        // to the row's bound — m's fixed point when only v changed, else its largest |m| now (a decaying m only
        // shrinks), above the fixed point so that what it owes of m is paid too.
        const bound = kind & OLD_V_ONLY ? mFix : max(maxAbs(mr, vecEnd), mFix + 1);
        if (quietStill(pr, vecEnd, kStill, bound)) {
          store<i32>(quiet + (<usize>r << 2), 1);
          store<i32>(bounds + (<usize>r << 2), bound);
        }
      }
    }
    for (let o = vecEnd; o < rowBytes; o += 4) {
      adamOne(pr + o, gr + o, mr + o, vr + o, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step);
    }
  }
  if (checked) store<i32>(counter, tinySeen ? 1 : 0, 4);
  if (full) store<i32>(counter, segments(marks, segs, vecEnd), 8);
}

/** out[o] = 0 + x·G[o] for the floats after the row's whole vectors (outerRows' bits): what litRow does not make. */
// @ts-ignore: decorator
@inline function outerTail(out: usize, x: f32, G: usize, rowBytes: usize, vecEnd: usize): void {
  for (let o = vecEnd; o < rowBytes; o += 4) store<f32>(out + o, <f32>0 + x * load<f32>(G + o));
}

/** I32 words that adamRows keeps after the ages of a buffer with rows of `width` (without QUIET). */
export function adamRowsExtra(width: i32): i32 {
  return 5 + 3 * (width >> 2);
}

/**
 * All the i32 words adamRows keeps for `nrows` rows of `width`: the ages, its words, the quiet rows' counts, the
 * owed steps of each row, the ring's last step, the ring (see adam-owed.ts), and the quiet rows' bounds on |m|.
 */
export function adamRowsWords(width: i32, nrows: i32): i32 {
  return 4 * nrows + adamRowsExtra(width) + 4 + RING * 8;
}

/**
 * Pays the updates that young rows owe (DEFER), in order, so p, m and v hold the reference's values in those rows:
 * every row when `x` is 0, else the rows whose x (one f32 per row, an input the layer is about to read the weight's
 * rows for) is not +0. `tmp` is 144 bytes of scratch.
 */
export function adamRowsPay(p: usize, m: usize, v: usize, width: i32, nrows: i32, ages: usize, x: usize, b1: f32, b2: f32, tmp: usize): void {
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  const counter = ages + (<usize>nrows << 2);
  const debts = counter + (<usize>adamRowsExtra(width) << 2) + (<usize>nrows << 2);
  const lastAt = debts + (<usize>nrows << 2);
  const ring = lastAt + 16;
  const last = load<i32>(lastAt);
  const zero16 = tmp + 128;
  v128.store(zero16, i32x4.splat(0));
  let found = false;
  for (let r = 0; r < nrows; r++) {
    const da = debts + (<usize>r << 2);
    const debt = load<i32>(da);
    if (debt == 0 || (x != 0 && load<i32>(x + (<usize>r << 2)) == 0)) continue;
    const base = <usize>r * rowBytes;
    found = payRow(p + base, m + base, v + base, vecEnd, debt, ring, last, b1, b2, zero16, tmp) || found;
    store<i32>(da, 0);
  }
  if (found) store<i32>(counter, 1, 4);
}

/**
 * Pays every quiet row's owed decays of m and v (exactly, in order) and wakes it; all-zero rows will be checked again.
 * After this, m and v hold what the reference kernel would have left, and may be read or written by anyone.
 */
export function adamRowsSettle(m: usize, v: usize, width: i32, nrows: i32, ages: usize, b1: f32, b2: f32, mFix: i32, vFix: i32): void {
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  const quiet = ages + ((<usize>nrows + <usize>adamRowsExtra(width)) << 2);
  const bounds = quiet + (<usize>nrows << 3) + 16 + (<usize>RING << 5);
  for (let r = 0; r < nrows; r++) {
    const qr = quiet + (<usize>r << 2);
    const owed = load<i32>(qr);
    if (owed > 1 && load<i32>(bounds + (<usize>r << 2)) > mFix) payDecaysSigned(m + <usize>r * rowBytes, vecEnd, owed - 1, b1, mFix);
    if (owed > 1) payDecays(v + <usize>r * rowBytes, vecEnd, owed - 1, b2, vFix);
    store<i32>(qr, 0);
    if (load<i32>(ages + (<usize>r << 2)) < 0) store<i32>(ages + (<usize>r << 2), OLD_ROW);
  }
}

/**
 * The runs of unmarked vectors, each followed by a marked one (or the row's end), as pairs of byte offsets
 * [from, to) in `segs`; their number, or 0 when no vector is marked.
 */
function segments(marks: usize, segs: usize, vecEnd: usize): i32 {
  let n = 0;
  let from: usize = 0;
  for (let q: usize = 0; q < vecEnd; q += 16) {
    if (load<i32>(marks + (q >> 2)) == 0) continue;
    store<i32>(segs + (<usize>n << 3), <i32>from);
    store<i32>(segs + (<usize>n << 3), <i32>q, 4);
    n++;
    from = q + 16;
  }
  if (n == 0) return 0;
  store<i32>(segs + (<usize>n << 3), <i32>from);
  store<i32>(segs + (<usize>n << 3), <i32>vecEnd, 4);
  return n + 1;
}
