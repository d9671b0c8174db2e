/**
 * `.lst` image lists of the SageMaker built-in image classifier and MXNet's im2rec (workshop B.7;
 * formats.md 4.5): one image per line, tab-separated `index<TAB>label[<TAB>label...]<TAB>path`.
 * Two spellings exist:
 *   - im2rec's `'%d\t' % index + '%f\t' % label + path`: `1999\t9.000000\tsheep/000000574928.jpg`,
 *     path relative to the image root;
 *   - the workshop's hand-written `f"{idx:010}\t{category}\t{path}\n"`:
 *     `0000002200\t1\tdata_structured/test/bird/000000443749.jpg`, one running index over all splits.
 * The reader takes both (as mxnet's `read_list`: index int, labels float, path = last column).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../io/atomic";
import { FormatError } from "../util/errors";
import { byCodeUnit, isDir } from "./imagefolder";
import { PythonRandom } from "./python-random";
import { classIndex } from "./structure";

/** One line of a .lst file. */
export interface LstEntry {
  /** The image index (unique within a list). */
  index: number;
  /** One class index, or several for multi-label lists. */
  labels: number[];
  /** Image path, relative to the image root (im2rec) or to the notebook folder (workshop). */
  path: string;
}

/** `im2rec`: `%d\t%f\t%s`; `workshop`: `%010d\t%d\t%s` (integer labels only). */
export type LstStyle = "im2rec" | "workshop";

/** Options of {@link writeLst} and {@link formatLst}. */
export interface LstFormatOptions {
  /** Line spelling. Default "im2rec". */
  style?: LstStyle;
}

function checkEntries(entries: readonly LstEntry[], style: LstStyle): void {
  entries.forEach((e, i) => {
    if (!Number.isSafeInteger(e.index) || e.index < 0) {
      throw new RangeError(`lst index is not a non-negative integer: ${e.index} (entry ${i})`);
    }
    if (e.labels.length === 0) throw new RangeError(`lst entry has no label (entry ${i}, index ${e.index})`);
    for (const l of e.labels) {
      const ok = style === "workshop" ? Number.isSafeInteger(l) && l >= 0 : Number.isFinite(l);
      if (!ok) {
        const expected = style === "workshop" ? "a non-negative integer class index" : "a finite number";
        throw new RangeError(`lst label is out of range: ${l} (expected ${expected}; entry ${i}, index ${e.index})`);
      }
    }
    if (e.path === "" || /[\t\n\r]/.test(e.path)) {
      throw new RangeError(`lst path is empty or has a tab or line break: ${JSON.stringify(e.path)} (entry ${i})`);
    }
  });
}

/**
 * The text of a .lst file.
 * @example formatLst([{ index: 1999, labels: [9], path: "s/1.jpg" }]) // "1999\t9.000000\ts/1.jpg\n"
 */
export function formatLst(entries: readonly LstEntry[], options: LstFormatOptions = {}): string {
  const { style = "im2rec" } = options;
  checkEntries(entries, style);
  return entries
    .map((e) =>
      style === "workshop"
        ? `${String(e.index).padStart(10, "0")}\t${e.labels.join("\t")}\t${e.path}\n`
        : `${e.index}\t${e.labels.map((l) => l.toFixed(6)).join("\t")}\t${e.path}\n`,
    )
    .join("");
}

/**
 * Write a .lst file atomically.
 * @example writeLst("out/image/builtin/train.lst", entries)
 */
export function writeLst(file: string, entries: readonly LstEntry[], options: LstFormatOptions = {}): void {
  writeFileAtomic(file, formatLst(entries, options));
}

/**
 * Parse .lst text in either spelling. Blank lines are skipped; a line with fewer than three
 * columns, a non-integer index or a non-numeric label is an error (mxnet prints and skips those).
 * @throws FormatError naming the file and line
 * @example parseLst("0000002200\t1\tdata_structured/test/bird/000000443749.jpg\n")[0].labels // [1]
 */
export function parseLst(text: string, file = "<lst>"): LstEntry[] {
  const out: LstEntry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const cols = line.split("\t").map((c) => c.trim());
    const at = `${file}, line ${i + 1}`;
    if (cols.length < 3) {
      throw new FormatError(`lst line has ${cols.length} columns (expected index, label(s), path; ${at})`);
    }
    if (!/^[+-]?\d+$/.test(cols[0]) || !Number.isSafeInteger(Number(cols[0]))) {
      throw new FormatError(`lst index is not an integer: ${JSON.stringify(cols[0])} (${at})`);
    }
    const labels = cols.slice(1, -1).map((c) => {
      const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(c) ? Number(c) : NaN;
      if (!Number.isFinite(v)) throw new FormatError(`lst label is not a number: ${JSON.stringify(c)} (${at})`);
      return v;
    });
    out.push({ index: Number(cols[0]), labels, path: cols[cols.length - 1] });
  });
  return out;
}

/**
 * Read a .lst file in either spelling.
 * @throws FormatError naming the file and line
 */
export function readLst(file: string): LstEntry[] {
  return parseLst(fs.readFileSync(file, "utf8"), file);
}

/** Options of {@link im2recList}. */
export interface Im2recListOptions {
  /** Walk sub-folders, one label per folder that holds images. Default true (`--recursive`). */
  recursive?: boolean;
  /** File suffixes, compared in lower case. Default im2rec's [".jpeg", ".jpg", ".png"]. */
  exts?: string[];
  /** Shuffle with Python's `random.seed(100)`, as im2rec does unless `--no-shuffle`. Default true. */
  shuffle?: boolean;
}

/** What {@link im2recList} found: the list and the label of each folder. */
export interface Im2recList {
  entries: LstEntry[];
  /** Folder (relative to root, "." for the root itself) and its label, in label order. */
  folders: { folder: string; label: number }[];
}

/**
 * The list `python im2rec.py --list --recursive prefix root` writes (train-ratio 1, one chunk):
 * folders and files walked in sorted order (`os.walk` with `dirs.sort()`, `files.sort()`, links
 * followed), a label per folder in order of its first image, paths relative to `root`, then the
 * list shuffled exactly as Python's `random.seed(100); random.shuffle(list)`.
 * @example im2recList("out/image/structured/train").folders // [{ folder: "bear", label: 0 }, ...]
 */
export function im2recList(root: string, options: Im2recListOptions = {}): Im2recList {
  const { recursive = true, exts = [".jpeg", ".jpg", ".png"], shuffle = true } = options;
  const entries: LstEntry[] = [];
  const labels = new Map<string, number>();
  const visit = (dir: string) => {
    const names = fs.readdirSync(dir).sort(byCodeUnit);
    const subdirs: string[] = [];
    for (const name of names) {
      const full = path.join(dir, name);
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) subdirs.push(full);
      else if (stat?.isFile() && exts.includes(path.extname(name).toLowerCase())) {
        const rel = path.relative(root, dir) || ".";
        if (!labels.has(rel)) labels.set(rel, labels.size);
        entries.push({
          index: entries.length,
          labels: [recursive ? (labels.get(rel) as number) : 0],
          path: path.relative(root, full).split(path.sep).join("/"),
        });
      }
    }
    if (recursive) for (const d of subdirs) visit(d);
  };
  visit(root);
  if (shuffle) new PythonRandom(100).shuffle(entries);
  return { entries, folders: [...labels].map(([folder, label]) => ({ folder, label })) };
}

/** Options of {@link workshopLst}. */
export interface WorkshopLstOptions {
  /** Prefix of every path. Default: the root folder's own name (`data_structured/...` in the workshop). */
  prefix?: string;
  /**
   * Order of the splits for the running index. Default ["train", "test", "val"], the filesystem
   * order the workshop's `rglob` happened to return (train 0-2199, test 2200-2474, val 2475-2749).
   */
  splitOrder?: string[];
}

/**
 * The workshop's hand-written lists (B.7 option 1) of a structured folder `root/{split}/{class}/*.jpg`:
 * one running index over all splits, label = the class's position among the sorted class folders,
 * path = `prefix/split/class/file`. Classes and files are taken in sorted order (the workshop's
 * `rglob` order was the filesystem's, which no other machine reproduces).
 * @example workshopLst("out/image/structured").get("test")?.[0] // { index: 2200, labels: [1], path: ... }
 */
export function workshopLst(root: string, options: WorkshopLstOptions = {}): Map<string, LstEntry[]> {
  const { prefix = path.basename(path.resolve(root)), splitOrder = ["train", "test", "val"] } = options;
  const splits = fs.readdirSync(root).filter((s) => isDir(path.join(root, s)));
  const rank = (s: string) => (splitOrder.includes(s) ? splitOrder.indexOf(s) : splitOrder.length);
  splits.sort((a, b) => rank(a) - rank(b) || byCodeUnit(a, b));
  const classes = splits.flatMap((s) => fs.readdirSync(path.join(root, s)).filter((c) => isDir(path.join(root, s, c))));
  const index = classIndex(classes);
  const out = new Map<string, LstEntry[]>();
  let next = 0;
  for (const s of splits) {
    const list: LstEntry[] = [];
    for (const c of [...index.keys()]) {
      const dir = path.join(root, s, c);
      if (!isDir(dir)) continue;
      for (const f of fs.readdirSync(dir).sort(byCodeUnit)) {
        if (!f.endsWith(".jpg") || !fs.statSync(path.join(dir, f)).isFile()) continue;
        list.push({ index: next++, labels: [index.get(c) as number], path: [prefix, s, c, f].join("/") });
      }
    }
    out.set(s, list);
  }
  return out;
}
