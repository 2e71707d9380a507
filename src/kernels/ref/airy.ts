// The Airy function Ai(x), as PyTorch 1.13 computes it in float32 (aten/src/ATen/native/Math.h, after Cephes' airy):
// an asymptotic form with rational corrections below −2.09 and above 2.09 (the latter alone from 8.3203353), the
// power series of its two solutions f and g between, every step rounded to float32 and each polynomial step one
// fused multiply-add. NaN at ±∞, 0 beyond 103.892.
import { horner } from './bessel-jy.js';
import { fmaf } from './fmaf.js';

const f = Math.fround;
const table = (c: readonly number[]): number[] => c.map(f);

const AN = table([3.46538101525629032477e-1, 1.20075952739645805542e1, 7.62796053615234516538e1, 1.68089224934630576269e2, 1.59756391350164413639e2, 7.05360906840444183113e1, 1.40264691163389668864e1, 9.99999999999999995305e-1]);
const AD = table([5.67594532638770212846e-1, 1.47562562584847203173e1, 8.45138970141474626562e1, 1.77318088145400459522e2, 1.64234692871529701831e2, 7.14778400825575695274e1, 1.40959135607834029598e1, 1.0000000000000000047]);
const AFN = table([-1.31696323418331795333e-1, -6.26456544431912369773e-1, -6.93158036036933542233e-1, -2.79779981545119124951e-1, -4.9190013260950031802e-2, -4.06265923594885404393e-3, -1.5927649623926209634e-4, -2.77649108155232920844e-6, -1.6778769848911463378e-8]);
const AFD = table([1.33560420706553243746e1, 3.26825032795224613948e1, 2.67367040941499554804e1, 9.1870740290725962584, 1.47529146771666414581, 1.15687173795188044134e-1, 4.40291641615211203805e-3, 7.54720348287414296618e-5, 4.51850092970580378464e-7]);
const AGN = table([1.97339932091685679179e-2, 3.91103029615688277255e-1, 1.06579897599595591108, 9.39169229816650230044e-1, 3.51465656105547619242e-1, 6.33888919628925490927e-2, 5.85804113048388458567e-3, 2.82851600836737019778e-4, 6.98793669997260967291e-6, 8.11789239554389293311e-8, 3.41551784765923618484e-10]);
const AGD = table([9.30892908077441974853, 1.98352928718312140417e1, 1.55646628932864612953e1, 5.47686069422975497931, 9.54293611618961883998e-1, 8.64580826352392193095e-2, 4.12656523824222607191e-3, 1.0125908511650913551e-4, 1.17166733214413521882e-6, 4.91834570062930015649e-9]);

const SQPII = f(5.64189583547756286948e-1); // 1/√π
const C1 = f(0.35502805388781723926);
const C2 = f(0.258819403792806798405);
const EPS = 2 ** -23;
const sqrtf = (x: number): number => f(Math.sqrt(x));

/** Below −2.09: Ai(x) ≈ (1/√π)·|x|^−¼·(sin t·(1 + z²·F(z²)) − cos t·z·G(z²)), ζ = ⅔|x|^{3/2}, z = 1/ζ, t = ζ + π/4. */
function negativeTail(x: number): number {
  const root = sqrtf(-x);
  const zeta = f(f(f(-2 * x) * root) / 3);
  const z = f(1 / zeta);
  const zz = f(z * z);
  const fz = f(1 + f(f(zz * horner(AFN, zz)) / horner(AFD, zz)));
  const gz = f(f(z * horner(AGN, zz)) / horner(AGD, zz));
  const t = f(zeta + 0.25 * Math.PI); // float ζ plus a double π/4, rounded once
  return f(f(SQPII / sqrtf(root)) * fmaf(f(Math.sin(t)), fz, -f(f(Math.cos(t)) * gz)));
}

/** From 2.09: Ai(x) ≈ (1/√π)·N(1/ζ)/D(1/ζ) / (2·x^¼·e^ζ). */
function positiveTail(x: number): number {
  const zeta = f(f(f(2 * x) * sqrtf(x)) / 3);
  const r = f(1 / zeta);
  return f(f(SQPII * f(horner(AN, r) / horner(AD, r))) / f(f(2 * sqrtf(sqrtf(x))) * f(Math.exp(zeta))));
}

/** Ai(x) between −2.09 and 2.09: c1·f(x) − c2·g(x), the two power series summed until a term is below float32's ε. */
function series(x: number): number {
  let sf = 1;
  let sg = x;
  let k = 1;
  let m = 1;
  let n = x;
  let t = 1;
  const z = f(f(x * x) * x);
  while (t > EPS) {
    m = f(m * z);
    k = f(k + 1);
    m = f(m / k);
    n = f(n * z);
    k = f(k + 1);
    n = f(n / k);
    m = f(m / k);
    sf = f(sf + m);
    k = f(k + 1);
    n = f(n / k);
    sg = f(sg + n);
    t = Math.abs(f(m / sf));
  }
  return fmaf(C1, sf, -f(C2 * sg));
}

/** The Airy function of the first kind Ai(x) (`special.airy_ai`). */
export function airyAi(x: number): number {
  if (x === Infinity || x === -Infinity) return NaN;
  if (x > f(103.892)) return 0;
  if (x < f(-2.09)) return negativeTail(x);
  if (x >= f(2.09)) return positiveTail(x);
  return series(x);
}
