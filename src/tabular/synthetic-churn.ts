/**
 * A stand-in for the workshop's churn file at any size (scale benchmarks, tests): a SYNTHETIC,
 * deterministic 21-column CSV shaped like SageMaker's `datasets/tabular/synthetic/churn.txt` (itself
 * synthetic). Same header, column order, types, label values (`True.`/`False.`), LF line ends and no trailing newline.
 *
 * How rows are drawn (default seed 1024, PRNG mulberry32, normals by Box-Muller):
 * 1. the label first, `True.` with probability 0.5;
 * 2. two latent factors per row, "usage" and "friction", shared by several columns so that the
 *    strongest pairs of the real file come out correlated (Day Mins~Eve Charge, Intl Charge~CustServ);
 * 3. each numeric column from a normal with the per-class mean and spread measured on the real file,
 *    folded at 0 (floats) or rounded and clipped to the real range (counts). Night Calls and VMail
 *    Message are counts of 50 and 100 like the real file; VMail Message is 0 without a VMail Plan.
 * The label is learnable mainly from Day Mins, Night Calls, Night Charge, Eve Mins, Eve Charge and
 * Day Charge, plus a class-dependent sign of the CustServ Calls~usage link that only trees can use.
 * State, Area Code, Account Length, Phone and the two plans carry no signal, as in the real file.
 */
import { mulberry32 } from "../util/prng";

/** The real file's header, in order. */
export const CHURN_COLUMNS: readonly string[] = [
  "State",
  "Account Length",
  "Area Code",
  "Phone",
  "Int'l Plan",
  "VMail Plan",
  "VMail Message",
  "Day Mins",
  "Day Calls",
  "Day Charge",
  "Eve Mins",
  "Eve Calls",
  "Eve Charge",
  "Night Mins",
  "Night Calls",
  "Night Charge",
  "Intl Mins",
  "Intl Calls",
  "Intl Charge",
  "CustServ Calls",
  "Churn?",
];

/** The 50 states and DC, as 2-letter codes. */
const STATES = (
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM " +
  "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split(" ");

/** The 33 area codes of the real file. */
const AREA_CODES = [
  657, 658, 659, 676, 677, 678, 686, 707, 716, 727, 736, 737, 758, 766, 776, 777, 778, 786, 787, 788, 797, 798, 806,
  827, 836, 847, 848, 858, 866, 868, 876, 877, 878,
];

/** Options for {@link syntheticChurn}. */
export interface SyntheticChurnOptions {
  /** Number of data rows. Default 5000 (the real file's count). */
  rows?: number;
  /** Seed of the mulberry32 generator; the same seed gives the same text. Default 1024. */
  seed?: number;
}

/** A standard normal sampler on top of a uniform one (Box-Muller, one value per call). */
function normals(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Fold a float at 0 so it stays positive, like the real file's minutes and charges (min ~0.0002). */
const positive = (x: number) => Math.max(Math.abs(x), 1e-4);
const count = (x: number, hi: number) => clamp(Math.round(x), 0, hi);

/** Per-class [False., True.] means and spreads, measured on the real file (some means tuned for clipping). */
const CLASS = {
  dayMins: [3.52, 7.52, 2.62, 2.95],
  dayCharge: [4.06, 5.98, 1.95, 2.0],
  eveMins: [4.11, 5.95, 2.15, 1.67],
  eveCharge: [4.04, 6.0, 1.89, 1.89],
  nightMins: [4.03, 3.97, 1.77, 1.48],
  nightCalls50: [5.5, 3.5, 1.76, 1.57],
  nightCharge: [4.02, 6.03, 1.6, 1.24],
  intlCharge: [4.05, 4.61, 2.33, 2.51],
  custServ: [5.49, 5.56, 1.9, 2.17],
  eveCalls: [3.55, 2.5, 2.7, 2.2],
  vmail100: [5.6, 3.7, 2.3, 2.0],
} as const;

/**
 * A synthetic churn CSV (header + `rows` lines, LF, no trailing newline), same schema as the real file.
 * @example const text = syntheticChurn({ rows: 100, seed: 7 }); text.split("\n").length // 101
 */
export function syntheticChurn(options: SyntheticChurnOptions = {}): string {
  const { rows = 5000, seed = 1024 } = options;
  if (!Number.isInteger(rows) || rows < 0)
    throw new RangeError(`syntheticChurn rows is invalid: ${rows} (expected an integer >= 0)`);
  if (!Number.isInteger(seed)) throw new RangeError(`syntheticChurn seed is invalid: ${seed} (expected an integer)`);
  return _syntheticChurn(rows, seed);
}

/** Worker of {@link syntheticChurn} with validated arguments. */
function _syntheticChurn(rows: number, seed: number): string {
  const uniform = mulberry32(seed);
  const normal = normals(uniform);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(uniform() * items.length)];
  const lines: string[] = [CHURN_COLUMNS.join(",")];
  for (let i = 0; i < rows; i++) {
    const churn = uniform() < 0.5;
    const k = churn ? 1 : 0;
    const draw = (p: readonly number[], latent: number, weight: number) =>
      p[k] + p[k + 2] * (weight * latent + Math.sqrt(1 - weight * weight) * normal());
    const usage = normal();
    const friction = normal();

    const state = pick(STATES);
    const accountLength = 1 + Math.floor(uniform() * 200);
    const areaCode = pick(AREA_CODES);
    const phone = `${100 + Math.floor(uniform() * 900)}-${String(Math.floor(uniform() * 10000)).padStart(4, "0")}`;
    const intlPlan = uniform() < 0.5 ? "yes" : "no";
    const vmailPlan = uniform() < 0.5 ? "yes" : "no";
    const vmailMessage =
      vmailPlan === "yes" && uniform() > 0.025 ? 100 * clamp(Math.round(draw(CLASS.vmail100, 0, 0)), 1, 13) : 0;
    const dayMins = positive(draw(CLASS.dayMins, usage, 0.8));
    const dayCalls = count(3.5 + 1.7 * normal(), 10);
    const dayCharge = positive(draw(CLASS.dayCharge, usage, 0.6));
    const eveMins = positive(draw(CLASS.eveMins, usage, 0.35));
    const eveCalls = count(draw(CLASS.eveCalls, usage, -0.3), 14);
    const eveCharge = positive(draw(CLASS.eveCharge, usage, 0.75));
    const nightMins = positive(draw(CLASS.nightMins, usage, 0.3));
    const nightCalls = 50 * count(draw(CLASS.nightCalls50, usage, -0.3), 11);
    const nightCharge = positive(draw(CLASS.nightCharge, friction, 0.6));
    const intlMins = clamp(5.03 + 1.02 * normal(), 1.6, 8.45);
    const intlCalls = count(5.48 + 1.88 * normal(), 12);
    const intlCharge = positive(draw(CLASS.intlCharge, friction, -0.85));
    // Class-dependent sign: unhappy heavy users call support less, happy ones more (a tree-only signal).
    const custServ = count(
      CLASS.custServ[k] + CLASS.custServ[k + 2] * (0.75 * friction + (churn ? -0.45 : 0.3) * usage + 0.45 * normal()),
      13,
    );

    lines.push(
      [
        state,
        accountLength,
        areaCode,
        phone,
        intlPlan,
        vmailPlan,
        vmailMessage,
        dayMins,
        dayCalls,
        dayCharge,
        eveMins,
        eveCalls,
        eveCharge,
        nightMins,
        nightCalls,
        nightCharge,
        intlMins,
        intlCalls,
        intlCharge,
        custServ,
        churn ? "True." : "False.",
      ].join(","),
    );
  }
  return lines.join("\n");
}
