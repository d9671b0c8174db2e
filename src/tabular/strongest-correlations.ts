import pl from "nodejs-polars";
import { CorrelationMethod } from "./alerts";
import { CorrelationMatrix } from "./correlations";

/** Options for {@link strongestCorrelations}. */
export interface StrongestCorrelationsOptions {
  /** Which matrix. Default "pearson". */
  method?: CorrelationMethod;
  /** How many pairs. Default 10. */
  top?: number;
  /** Columns left out (e.g. the label). Default none. */
  exclude?: readonly string[];
}

/**
 * The most correlated column pairs of a profile's matrices, strongest |r| first, as a DataFrame
 * with columns `a`, `b`, `r`.
 * @example strongestCorrelations(report.profile.correlations, { top: 5 }) // Day Mins ~ Eve Charge 0.766, ...
 */
export function strongestCorrelations(
  matrices: readonly CorrelationMatrix[],
  options: StrongestCorrelationsOptions = {},
): pl.DataFrame {
  const { method = "pearson", top = 10, exclude = [] } = options;
  const m = matrices.find((x) => x.method === method);
  if (!m)
    throw new RangeError(
      `no ${method} matrix: the profile has ${matrices.map((x) => x.method).join(", ") || "none"} (expected one of them)`,
    );
  const pairs: Array<{ a: string; b: string; r: number }> = [];
  for (let i = 0; i < m.columns.length; i++) {
    for (let j = i + 1; j < m.columns.length; j++) {
      const r = m.values[i][j];
      if (!Number.isFinite(r) || exclude.includes(m.columns[i]) || exclude.includes(m.columns[j])) continue;
      pairs.push({ a: m.columns[i], b: m.columns[j], r });
    }
  }
  pairs.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
  const best = pairs.slice(0, top);
  return pl.DataFrame({ a: best.map((p) => p.a), b: best.map((p) => p.b), r: best.map((p) => p.r) });
}
