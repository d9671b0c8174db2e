/**
 * The chi-squared uniformity test the profiling rules share (pandas-profiling's UNIFORM alert), with
 * the math under it: ln Γ (Lanczos), the regularized upper incomplete gamma Q(a, x) and the
 * chi-squared survival function. No small, maintained npm package provides the chi-squared survival
 * function (jStat is large and unmaintained), so the regularized incomplete gamma is implemented here
 * (Numerical Recipes §6.2).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7).
 * @example Math.exp(logGamma(5)) // ≈ 24
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a).
 * @example gammaQ(1, 2) // e^-2
 */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  const maxIter = 100000;
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 − P.
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let i = 0; i < maxIter && Math.abs(del) > Math.abs(sum) * 1e-16; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * Chi-squared survival function P(X² > x) with `dof` degrees of freedom.
 * @example chiSquaredSurvival(3.841458820694124, 1) // ≈ 0.05
 */
export function chiSquaredSurvival(x: number, dof: number): number {
  return gammaQ(dof / 2, x / 2);
}

/**
 * Goodness-of-fit test of counts against equal frequencies (scipy `chisquare(counts)`).
 * @example chiSquaredUniformity([2502, 2498]).pValue // 0.9549
 */
export function chiSquaredUniformity(counts: ArrayLike<number>): { statistic: number; pValue: number } {
  const k = counts.length;
  let total = 0;
  for (let i = 0; i < k; i++) total += counts[i];
  const expected = total / k;
  let statistic = 0;
  for (let i = 0; i < k; i++) statistic += (counts[i] - expected) ** 2 / expected;
  return { statistic, pValue: k > 1 ? chiSquaredSurvival(statistic, k - 1) : NaN };
}
