// The modified Bessel functions of PyTorch 1.13's special namespace — modified_bessel_i0, i1, k0, k1 and the scaled
// e^x·K0, e^x·K1 — as its float32 code computes them (aten/src/ATen/native/Math.h: Cephes' Chebyshev expansions, I
// over [0, 8] and beyond, K over (0, 2] and beyond), every step rounded to float32, the recurrence's c·b1 − b2 fused as
// in bessel.ts. K0's small branch takes its logarithm in float64 (PyTorch writes log(0.5 * x) with a double 0.5),
// so that sum is float64, rounded once.
import { chbevl, I0_A, I0_B } from './bessel.js';
import { fmaf } from './fmaf.js';

const f = Math.fround;
const table = (c: readonly number[]): number[] => c.map(f);

// modified_bessel_i1's tables: longer than calc_i1's float ones (bessel.ts), the double tables in float32.
const I1_A = table([
  2.77791411276104639959e-18, -2.11142121435816608115e-17, 1.55363195773620046921e-16, -1.10559694773538630805e-15,
  7.6006842947354069341e-15, -5.04218550472791168711e-14, 3.22379336594557470981e-13, -1.9839743977649437152e-12,
  1.17361862988909016308e-11, -6.66348972350202774223e-11, 3.62559028155211703701e-10, -1.8872497517228292879e-9,
  9.38153738649577178388e-9, -4.44505912879632808065e-8, 2.00329475355213526229e-7, -8.56872026469545474066e-7,
  3.47025130813767847674e-6, -1.32731636560394358279e-5, 4.78156510755005422638e-5, -1.61760815825896745588e-4,
  5.12285956168575772895e-4, -1.51357245063125314899e-3, 4.15642294431288815669e-3, -1.05640848946261981558e-2,
  2.47264490306265168283e-2, -5.29459812080949914269e-2, 1.02643658689847095384e-1, -1.76416518357834055153e-1,
  2.52587186443633654823e-1,
]);
const I1_B = table([
  7.51729631084210481353e-18, 4.41434832307170791151e-18, -4.65030536848935832153e-17, -3.2095259219934239598e-17,
  2.96262899764595013876e-16, 3.30820231092092828324e-16, -1.88035477551078244854e-15, -3.81440307243700780478e-15,
  1.04202769841288027642e-14, 4.27244001671195135429e-14, -2.10154184277266431302e-14, -4.08355111109219731823e-13,
  -7.19855177624590851209e-13, 2.03562854414708950722e-12, 1.41258074366137813316e-11, 3.25260358301548823856e-11,
  -1.8974958123505412345e-11, -5.58974346219658380687e-10, -3.83538038596423702205e-9, -2.63146884688951950684e-8,
  -2.51223623787020892529e-7, -3.88256480887769039346e-6, -1.10588938762623716291e-4, -9.76109749136146840777e-3,
  7.78576235018280120474e-1,
]);
const K0_A = table([
  1.37446543561352307156e-16, 4.25981614279661018399e-14, 1.03496952576338420167e-11, 1.90451637722020886025e-9,
  2.53479107902614945675e-7, 2.28621210311945178607e-5, 1.26461541144692592338e-3, 3.59799365153615016266e-2,
  3.44289899924628486886e-1, -5.3532739323390276872e-1,
]);
const K0_B = table([
  5.30043377268626276149e-18, -1.64758043015242134646e-17, 5.21039150503902756861e-17, -1.67823109680541210385e-16,
  5.51205597852431940784e-16, -1.8485933773437790144e-15, 6.34007647740507060557e-15, -2.22751332699166985548e-14,
  8.032890775363575211e-14, -2.98009692317273043925e-13, 1.14034058820847496303e-12, -4.51459788337394416547e-12,
  1.85594911495471785253e-11, -7.95748924447710747776e-11, 3.57739728140030116597e-10, -1.69753450938905987466e-9,
  8.57403401741422608519e-9, -4.66048989768794782956e-8, 2.76681363944501510342e-7, -1.83175552271911948767e-6,
  1.39498137188764993662e-5, -1.28495495816278026384e-4, 1.56988388573005337491e-3, -3.14481013119645005427e-2,
  2.44030308206595545468,
]);
const K1_A = table([
  -7.02386347938628759343e-18, -2.42744985051936593393e-15, -6.66690169419932900609e-13, -1.4114883926335277611e-10,
  -2.21338763073472585583e-8, -2.43340614156596823496e-6, -1.73028895751305206302e-4, -6.97572385963986435018e-3,
  -1.22611180822657148235e-1, -3.53155960776544875667e-1, 1.52530022733894777053,
]);
const K1_B = table([
  -5.75674448366501715755e-18, 1.79405087314755922667e-17, -5.68946255844285935196e-17, 1.8380935443666388007e-16,
  -6.05704724837331885336e-16, 2.03870316562433424052e-15, -7.01983709041831346144e-15, 2.47715442448130437068e-14,
  -8.97670518232499435011e-14, 3.34841966607842919884e-13, -1.2891739609510289068e-12, 5.139639673481730251e-12,
  -2.12996783842756842877e-11, 9.21831518760500529508e-11, -4.1903547593418964875e-10, 2.01504975519703286596e-9,
  -1.0345762465678097026e-8, 5.74108412545004946722e-8, -3.50196060308781257119e-7, 2.40648494783721712015e-6,
  -1.93619797416608296024e-5, 1.95215518471351631108e-4, -2.8578168596227793868e-3, 1.03923736576817238437e-1,
  2.72062619048444266945,
]);

const expf = (x: number): number => f(Math.exp(x));
const logf = (x: number): number => f(Math.log(x));
const sqrtf = (x: number): number => f(Math.sqrt(x));

/** modified_bessel_i0: e^|x|·chbevl over [0, 8], e^|x|·chbevl/√|x| beyond. */
export function modifiedBesselI0(v: number): number {
  const x = Math.abs(v);
  if (x <= 8) return f(expf(x) * chbevl(f(f(x / 2) - 2), I0_A));
  return f(f(expf(x) * chbevl(f(f(32 / x) - 2), I0_B)) / sqrtf(x));
}

/** modified_bessel_i1, odd: chbevl·|x|·e^|x| over [0, 8], e^|x|·chbevl/√|x| beyond. */
export function modifiedBesselI1(v: number): number {
  const x = Math.abs(v);
  const out = x <= 8
    ? f(f(chbevl(f(f(x / 2) - 2), I1_A) * x) * expf(x))
    : f(f(expf(x) * chbevl(f(f(32 / x) - 2), I1_B)) / sqrtf(x));
  return v < 0 ? -out : out;
}

/** K0 or K1 beyond 2, e^−x·chbevl/√x, or chbevl/√x scaled by e^x. */
function kTail(x: number, b: readonly number[], scaled: boolean): number {
  const c = chbevl(f(f(8 / x) - 2), b);
  return f((scaled ? c : f(expf(-x) * c)) / sqrtf(x));
}

/** ∞ at 0, NaN below 0, else undefined (the caller computes). */
const kEdge = (x: number): number | undefined => (x === 0 ? Infinity : x < 0 ? NaN : undefined);

/** modified_bessel_k0, or e^x·K0(x) (scaled_modified_bessel_k0) when `scaled`. */
export function modifiedBesselK0(x: number, scaled: boolean): number {
  const edge = kEdge(x);
  if (edge !== undefined) return edge;
  if (x <= 2) {
    const c = chbevl(fmaf(x, x, -2), K0_A);
    const i0 = modifiedBesselI0(x);
    if (!scaled) return f(c - Math.log(0.5 * x) * i0);
    return f(fmaf(-logf(f(0.5 * x)), i0, c) * expf(x));
  }
  return kTail(x, K0_B, scaled);
}

/** modified_bessel_k1, or e^x·K1(x) (scaled_modified_bessel_k1) when `scaled`. */
export function modifiedBesselK1(x: number, scaled: boolean): number {
  const edge = kEdge(x);
  if (edge !== undefined) return edge;
  if (x <= 2) {
    const k = fmaf(logf(f(0.5 * x)), modifiedBesselI1(x), f(chbevl(fmaf(x, x, -2), K1_A) / x));
    return scaled ? f(k * expf(x)) : k;
  }
  return kTail(x, K1_B, scaled);
}
