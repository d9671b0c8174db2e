/**
 * Pure helpers for the workshop launcher: which notebooks to list, in which order, with which
 * labels. No JupyterLab imports, so the built file can be unit-tested in plain Node.
 */

/**
 * The folder of the workshop notebooks below the server root. `npm start` serves the project root
 * (so out/ is browsable); the launcher lists notebooks/ only, not test fixtures or outputs.
 */
export const NOTEBOOKS_DIR = "notebooks";

/** Where to look for the workshop notebooks, given the names of the root's folders: notebooks/ when there is one. */
export function notebooksBase(rootFolders: readonly string[]): string {
  return rootFolders.includes(NOTEBOOKS_DIR) ? NOTEBOOKS_DIR : "";
}

/** Folders never searched for notebooks: checkpoints, executed copies and package trees. */
export const SKIP_DIRS: ReadonlySet<string> = new Set([".ipynb_checkpoints", "out", "node_modules"]);

/** Workshop order of the notebook folders; top-level notebooks come first, other folders last. */
export const TRACK_ORDER: readonly string[] = ["", "tabular", "image"];

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** The track of a notebook path: its first folder, or `''` for a top-level notebook. */
function trackOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

function trackRank(path: string): number {
  const rank = TRACK_ORDER.indexOf(trackOf(path));
  return rank === -1 ? TRACK_ORDER.length : rank;
}

/** Compare notebook paths in workshop order: by track, then by natural sort of the path. */
export function compareNotebooks(a: string, b: string): number {
  return trackRank(a) - trackRank(b) || collator.compare(a, b);
}

/**
 * Sort notebook paths into workshop order, returning a new array; tracks are the folders below
 * `base` (e.g. `notebooks/tabular/…` is in track `tabular` when `base` is `notebooks`).
 */
export function sortNotebooks(paths: readonly string[], base = ""): string[] {
  const prefix = base ? `${base}/` : "";
  const rel = (p: string) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
  return [...paths].sort((a, b) => compareNotebooks(rel(a), rel(b)));
}

/** A readable label from a notebook path, e.g. `tabular/1.1-churn_data-prep.ipynb` → `1.1 churn data prep`. */
export function notebookLabel(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ipynb$/i, "");
  return name.replace(/[-_\s]+/g, " ").trim() || name;
}
