/**
 * The "workshop vs here" table: rows of (step, what, the workshop's number, ours, status, why), shown as
 * an HTML table in a notebook, plus the row builders the per-notebook comparisons share.
 */
import type { DataFrame } from "nodejs-polars";
import { escapeHtml, JUPYTER_DISPLAY, type Displayable, type MediaBundle } from "../util/media-bundle";
import { WORKSHOP_CHURN, WORKSHOP_SOURCES } from "./workshop-reference";

/** How the number here relates to the workshop's. */
export type ComparisonStatus = "same" | "close" | "differs" | "replaced" | "not comparable";

/** One line of the comparison. */
export interface ComparisonRow {
  /** Workshop step, e.g. "Profile". */
  step: string;
  what: string;
  workshop: string;
  here: string;
  status: ComparisonStatus;
  /** Why the numbers differ ("" when they are the same). */
  why: string;
  /** Where the workshop's number was printed. */
  source: string;
}

/** @internal */
export const _n = (x: number) => x.toLocaleString("en-US");
/** @internal */
export const _f = (x: number, d = 5) => x.toFixed(d);
/** @internal */
export const _eq = (a: number, b: number, tol = 0) => Math.abs(a - b) <= tol;

/** A row from positional fields; `why` is dropped when the status is "same". @internal */
export function _row(
  step: string,
  what: string,
  workshop: string,
  here: string,
  source: string,
  status: ComparisonStatus,
  why: string,
): ComparisonRow {
  return { step, what, workshop, here, status, why: status === "same" ? "" : why, source };
}

/**
 * Standard error of a ROC AUC of `a` measured on nPos positives and nNeg negatives (Hanley & McNeil 1982):
 * the scale on which two AUCs of the same 500 test rows can be told apart.
 * @example aucStandardError(0.99, 254, 246) // 0.0045
 */
export function aucStandardError(a: number, nPos: number, nNeg: number): number {
  const q1 = a / (2 - a),
    q2 = (2 * a * a) / (1 + a);
  return Math.sqrt((a * (1 - a) + (nPos - 1) * (q1 - a * a) + (nNeg - 1) * (q2 - a * a)) / (nPos * nNeg));
}

/** Compare an AUC with the workshop's: "close" within two standard errors; the why states the gap in them. @internal */
export function _aucRow(
  base: Omit<ComparisonRow, "here" | "status" | "why">,
  workshop: number,
  here: number | undefined,
  counts: { ones: number; zeros: number },
  reason: string,
): ComparisonRow {
  if (here === undefined || !Number.isFinite(here))
    return { ...base, here: "not measured", status: "not comparable", why: "" };
  const se = aucStandardError(workshop, counts.ones, counts.zeros);
  const gap = here - workshop;
  const status: ComparisonStatus = _eq(here, workshop, 5e-7) ? "same" : Math.abs(gap) <= 2 * se ? "close" : "differs";
  const sign = gap >= 0 ? "+" : "−";
  const why =
    status === "same"
      ? ""
      : `${sign}${_f(Math.abs(gap), 4)}, ${_f(Math.abs(gap) / se, 1)} standard errors of an AUC on ` +
        `${_n(counts.ones)}/${_n(counts.zeros)} test rows (±${_f(se, 4)}, Hanley–McNeil). ${reason}`;
  return { ...base, here: _f(here), status, why };
}

/**
 * Why a data number differs. Every source of the workshop's file (download, cache, the shipped copy) is checked
 * byte for byte, so a difference can only come from another file. @internal
 */
export function _otherData(): string {
  return "this run used another file than the workshop's churn.txt";
}

/**
 * Rows measured on the test split mean nothing next to the workshop's when the test split is another one: mark them
 * not comparable, with the reason, instead of "close" or "differs".
 */
export function _onOtherTestSet(rows: ComparisonRow[], workshopData: boolean, why: string): ComparisonRow[] {
  if (workshopData) return rows;
  return rows.map((r) =>
    r.status === "not comparable" ? r : { ...r, status: "not comparable", why: `${why}: another test set` },
  );
}

/** A comparison table that shows itself in a notebook. */
export class WorkshopComparison implements Displayable {
  constructor(
    readonly title: string,
    readonly rows: ComparisonRow[],
  ) {}

  /** Rows whose number differs from the workshop's, with the reason. */
  get differences(): ComparisonRow[] {
    return this.rows.filter((r) => r.status === "differs" || r.status === "close");
  }

  toString(): string {
    const lines = this.rows.map(
      (r) =>
        `${r.step} | ${r.what}: workshop ${r.workshop} | here ${r.here} | ${r.status}${r.why ? ` | ${r.why}` : ""}`,
    );
    return [this.title, ...lines].join("\n");
  }

  [JUPYTER_DISPLAY](): MediaBundle {
    const header = ["step", "what", "workshop", "here", "", "why they differ"];
    const mark: Record<ComparisonStatus, string> = {
      same: "=",
      close: "≈",
      differs: "≠",
      replaced: "→",
      "not comparable": "–",
    };
    const body = this.rows
      .map((r) => {
        const cells = [r.step, r.what, r.workshop, r.here];
        const tds = cells.map((c) => `<td style="text-align:left">${escapeHtml(c)}</td>`).join("");
        const status = `<td title="${escapeHtml(r.status)}">${mark[r.status]}</td>`;
        const why = `<td style="text-align:left">${escapeHtml(r.why)}<br><small>workshop: ${escapeHtml(r.source)}</small></td>`;
        return `<tr>${tds}${status}${why}</tr>`;
      })
      .join("\n");
    const legend = "= same, ≈ within two standard errors or same decision, ≠ differs, → replaced, – not comparable";
    const markup =
      `<div class="mldp-workshop-comparison"><h4>${escapeHtml(this.title)}</h4><table>` +
      `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
      `<tbody>\n${body}\n</tbody></table><p><small>${escapeHtml(legend)}</small></p></div>`;
    return { "text/html": markup, "text/plain": this.toString() };
  }
}

/** "same" or "differs" with the reason, or "not comparable" when not measured. @internal */
export function _sameOr(
  base: Omit<ComparisonRow, "status" | "why">,
  same: boolean,
  why: string,
  available = true,
): ComparisonRow {
  if (!available) return { ...base, here: "not measured", status: "not comparable", why: "" };
  return { ...base, status: same ? "same" : "differs", why: same ? "" : why };
}

/** A prediction-set row, as `getPredictionSet(prob, { rowIds })` has it. */
export interface PredictionSetRecord {
  row_id: number;
  score: number;
  pred: number;
}

/** `getPredictionSet(prob, { rowIds })`, or its rows. */
export type PredictionSetInput = DataFrame | readonly PredictionSetRecord[];

function predictionRecords(set: PredictionSetInput | undefined): readonly PredictionSetRecord[] | undefined {
  if (set === undefined || Array.isArray(set)) return set as readonly PredictionSetRecord[] | undefined;
  const df = set as DataFrame;
  if (!df.columns.includes("row_id")) return [];
  return df.toRecords().map((r) => ({ row_id: Number(r.row_id), score: Number(r.score), pred: Number(r.pred) }));
}

/** The workshop's example rows 31 and 2327 against this run's scores. @internal */
export function _predictionRows(step: string, input: PredictionSetInput | undefined, model: string): ComparisonRow[] {
  const set = predictionRecords(input);
  return WORKSHOP_CHURN.autogluon.predictionSet.map((w) => {
    const ours = set?.find((r) => r.row_id === w.row_id);
    const base = {
      step,
      what: `row ${w.row_id}: score, pred`,
      workshop: `${w.score}, ${w.pred} (AutoGluon's ensemble)`,
      source: WORKSHOP_SOURCES.predictionSet,
    };
    if (!ours) return { ...base, here: "row not in this test split", status: "not comparable" as const, why: "" };
    const status: ComparisonStatus = ours.score === w.score ? "same" : ours.pred === w.pred ? "close" : "differs";
    const why =
      status === "same"
        ? ""
        : `another model (${model}) scores this row ${ours.score}; ` +
          (ours.pred === w.pred ? "the same decision at 500." : "the decision at 500 differs.");
    return { ...base, here: `${ours.score}, ${ours.pred}`, status, why };
  });
}
