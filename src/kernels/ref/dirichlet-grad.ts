// The reparameterised gradient of a Beta draw, scaled for Dirichlet draws, as PyTorch 1.13's _dirichlet_grad on the
// CPU: −(∂/∂α CDF(x; α, β)) / pdf(x; α, β) / (1 − x) with β = total − α. Taylor series near x = 0 and x = 1 (in
// float32, step by step, as PyTorch's float kernel runs them), Rice's saddle-point expansion when α and β are both
// large, and a rational correction to an analytic approximation elsewhere (float64; Martin & Fritz's coefficients).

const f = Math.fround;
const PSI_10 = 2.25175258906672110764;
const PSI_A = [
  8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2,
];

/** ψ of a float32 x as Distributions.h's digamma_one<float, double>: x stepped up in float32, sums in float64. */
function digammaF(x0: number): number {
  let x = f(x0);
  if (x === 0) return Infinity;
  let extra = 0;
  if (x < 0) {
    if (x === Math.floor(x)) return Infinity;
    extra = -f(Math.PI) / f(Math.tan(f(f(Math.PI) * x)));
    x = f(1 - x);
  }
  let result = 0;
  while (x < 10) {
    result -= f(1 / x);
    x = f(x + 1);
  }
  if (x === 10) return f(result + PSI_10 + extra);
  let y = 0;
  if (x < 1e17) {
    const z = 1 / f(x * x);
    let p = PSI_A[0]!;
    for (let i = 1; i < PSI_A.length; i++) p = p * z + PSI_A[i]!;
    y = z * p;
  }
  return f(result + f(Math.log(x)) - f(0.5 / x) - y + extra);
}

/** ∂x/∂α of a Beta(α, β) draw x near 0, in float32. */
function alphaSmall(x: number, alpha: number, beta: number): number {
  const factor = f(f(digammaF(alpha) - digammaF(f(alpha + beta))) - f(Math.log(x)));
  let numer = 1;
  let series = f(f(numer / alpha) * f(factor + f(1 / alpha)));
  for (let i = 1; i <= 10; i++) {
    numer = f(numer * f(f(f(i - beta) * x) / i));
    const denom = f(alpha + i);
    series = f(series + f(f(numer / denom) * f(factor + f(1 / denom))));
  }
  const result = f(f(x * f(Math.pow(f(1 - x), -beta))) * series);
  return Number.isNaN(result) ? 0 : result;
}

/** ∂x/∂β of a Beta(α, β) draw x near 0, in float32. */
function betaSmall(x: number, alpha: number, beta: number): number {
  const factor = f(digammaF(f(alpha + beta)) - digammaF(beta));
  let numer = 1;
  let betas = 1;
  let dbetas = 0;
  let series = f(factor / alpha);
  for (let i = 1; i <= 8; i++) {
    numer = f(numer * f(-x / i));
    dbetas = f(f(dbetas * f(beta - i)) + betas);
    betas = f(betas * f(beta - i));
    series = f(series + f(f(numer / f(alpha + i)) * f(dbetas + f(factor * betas))));
  }
  const result = f(-f(f(Math.pow(f(1 - x), f(1 - beta))) * series));
  return Number.isNaN(result) ? 0 : result;
}

/** ∂x/∂α when α and β are both large (float64), by Rice's saddle-point expansion. */
function alphaMid(x: number, alpha: number, beta: number): number {
  const total = alpha + beta;
  const mean = alpha / total;
  const std = Math.sqrt((alpha * beta) / (total + 1)) / total;
  if (mean - 0.1 * std <= x && x <= mean + 0.1 * std) {
    const poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
      (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
        3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
          (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
            8 * (1 - x) * (135 * beta - 11)))));
    const prefactorNum = ((1 + 12 * alpha) * (1 + 12 * beta)) / (total * total);
    const prefactorDen = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total);
    return (((prefactorNum / (1 - x)) * poly) / prefactorDen);
  }
  const prefactor = -x / Math.sqrt((2 * alpha * beta) / total);
  const stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta)))
    / (1 + 1 / (12 * total) + 1 / (288 * total * total));
  const term1Num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta);
  const axbx = alpha * (x - 1) + beta * x;
  const term1 = term1Num / (Math.sqrt((2 * alpha) / beta) * Math.pow(total, 1.5) * axbx * axbx);
  const term2 = 0.5 * Math.log(alpha / (total * x));
  const term3 = Math.sqrt((8 * alpha * beta) / total) / (beta * x + alpha * (x - 1));
  const term4 = Math.pow(beta * Math.log(beta / (total * (1 - x))) + alpha * Math.log(alpha / (total * x)), -1.5);
  return stirling * prefactor * (term1 + term2 * (term3 + (x < mean ? term4 : -term4)));
}

// c[p or q][power of u][power of a][power of b].
const C = [
  [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863], [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033], [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
    [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814], [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057], [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
    [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565], [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181], [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
  [[[1, -0.02924021934, -0.04438342661, 0.007285809825], [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521], [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
    [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273], [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956], [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
    [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05], [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05], [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]],
] as const;

/** The scaled gradient of a float32 draw x of a Beta(α, total − α), rounded to float32. */
export function dirichletGrad(x: number, alpha: number, total: number): number {
  const beta = f(total - alpha);
  const boundary = f(f(total * x) * f(1 - x));
  if (x <= 0.5 && boundary < 2.5) return alphaSmall(x, alpha, beta);
  if (x >= 0.5 && boundary < 0.75) return f(-betaSmall(f(1 - x), beta, alpha));
  if (alpha > 6 && beta > 6) return f(alphaMid(x, alpha, total - alpha));
  const u = Math.log(x);
  const a = Math.log(alpha) - u;
  const b = Math.log(total) - a;
  const powU = [1, u, u * u];
  const powA = [1, a, a * a];
  let p = 0;
  let q = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const ua = powU[i]! * powA[j]!;
      const cp = C[0][i]![j]!;
      const cq = C[1][i]![j]!;
      p += ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])));
      q += ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])));
    }
  }
  const approx = (x * f(digammaF(total) - digammaF(alpha))) / (total - alpha);
  return f((p / q) * approx);
}
