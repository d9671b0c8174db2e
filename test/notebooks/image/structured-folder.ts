/**
 * The input of the image notebooks' tests (preprocessing 2.1, 3.1, 4.1 and training 5.1): notebook
 * 1.2's structured folder, built once per mocha process by running notebooks 1.1 and 1.2 offline into
 * temp folders (about 30 s), then shared by those test files. The notebooks read it as they would on
 * a user's machine.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readManifest, type ManifestEntry } from "../../../src/image/manifest";
import { projectPath } from "../../../src/util/paths";
import { codeCells, readNotebook, runNotebooks, text } from "../../helpers/notebooks";

export const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];
export const SPLITS = ["train", "val", "test"] as const;

let built: string | undefined;

/** The structured folder notebook 1.2 wrote from notebook 1.1's offline sample (built on first use). */
export function structuredFolder(): string {
  if (built) return built;
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-data-"));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-out-"));
  const r11 = runNotebooks([
    projectPath("notebooks", "image", "1.1-download-data.ipynb"),
    "-p",
    `dataRoot=${dataRoot}`,
    "-p",
    `outputDir=${out}/11`,
  ]);
  assert.equal(r11.status, 0, `notebook 1.1 failed: ${r11.stderr}`);
  const structured = path.join(dataRoot, "structured");
  const r12 = runNotebooks([
    projectPath("notebooks", "image", "1.2-structuring-data.ipynb"),
    "-p",
    `dataRoot=${dataRoot}`,
    "-p",
    `structuredDir=${structured}`,
    "-p",
    `outputDir=${out}/12`,
  ]);
  assert.equal(r12.status, 0, `notebook 1.2 failed: ${r12.stderr}`);
  built = structured;
  return structured;
}

/** Images per class and split in the manifest of `dir`, classes in label order. */
export function manifestCounts(dir: string): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const e of readManifest(dir)) {
    counts[e.class] ??= { train: 0, val: 0, test: 0 };
    counts[e.class][e.split]++;
  }
  return Object.fromEntries(CLASSES.filter((c) => counts[c]).map((c) => [c, counts[c]]));
}

/** The manifest rows of one split. */
export function manifestSplit(dir: string, split: string): ManifestEntry[] {
  return readManifest(dir).filter((e) => e.split === split);
}

/** Run test/fixtures/image-formats/read_outputs.py (tfrecord, Pillow) and parse its JSON. */
export function readOutputs(args: string[]): any {
  const python = projectPath(".venv", "bin", "python");
  assert.ok(fs.existsSync(python), `python is missing: ${python} (run \`npm test\` once)`);
  const script = projectPath("test", "fixtures", "image-formats", "read_outputs.py");
  return JSON.parse(execFileSync(python, [script, ...args], { encoding: "utf8", maxBuffer: 1 << 28 }));
}

/** Sorted copy of numbers. */
export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

export interface PrepResults {
  format: string;
  input: string;
  outputFolder: string;
  classes: string[];
  splits: string[];
  settings: { resize: string; size: number; fitSize: number; quality: number; shuffle: boolean; seed: number };
  images: Record<string, number>;
  written: Record<string, number>;
  counts: Record<string, Record<string, number>>;
  files: { path: string; bytes: number }[];
  jpegBytes: { min: number; mean: number; max: number; total: number };
  seconds: number;
  imagesPerSecond: number;
  converted: { grayscale: number; cmyk: number; alpha: number };
  convertedFiles: { file: string; mode: string; alpha: boolean }[];
  failures: { file: string; message: string }[];
  warnings: string[];
  workshopComparison: { what: string; here: string; status: string }[];
  badInput: {
    written: Record<string, number>;
    converted: { grayscale: number; cmyk: number; alpha: number };
    failures: string[];
    stopped: string;
  };
}

/** Run a preprocessing notebook on the shared structured folder: its results.json, data folder, executed notebook. */
export function runPrep(nb: string, dataParam: string, extra: string[] = []) {
  const structured = structuredFolder();
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-res-"));
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-data-")), "written");
  const r = runNotebooks([
    nb,
    "-p",
    `structuredDir=${structured}`,
    "-p",
    `${dataParam}=${dataDir}`,
    "-p",
    `outputDir=${outputDir}`,
    ...extra,
  ]);
  assert.equal(r.status, 0, `runner failed: ${r.stderr}`);
  const name = path.basename(nb, ".ipynb");
  assert.match(
    r.stdout,
    new RegExp(`^image/${name.replace(/\./g, "\\.")}\\s+(\\d+)/\\1\\s+cells\\s+[\\d.]+ s\\s+ok$`, "m"),
  );
  const results = JSON.parse(fs.readFileSync(path.join(outputDir, "results.json"), "utf8")) as PrepResults;
  return { results, structured, dataDir, outputDir, nb: readNotebook(path.join(r.outDir, "image", `${name}.ipynb`)) };
}

/** What every preprocessing notebook's results.json must say about the structured folder it read. */
export function checkCommon(res: ReturnType<typeof runPrep>, format: string): void {
  const { results, structured, dataDir } = res;
  assert.equal(results.format, format);
  assert.equal(results.outputFolder, dataDir);
  assert.deepEqual(results.classes, CLASSES);
  assert.deepEqual(results.splits, [...SPLITS]);
  assert.deepEqual(results.counts, manifestCounts(structured), "per class and split = the manifest");
  for (const s of SPLITS) assert.equal(results.written[s], manifestSplit(structured, s).length, `${s} written`);
  assert.deepEqual(results.images, results.written, "nothing left out");
  assert.deepEqual(results.failures, []);
  assert.deepEqual(results.warnings, [], "nothing adjusted or left out on notebook 1.2's folder");
  const modes = readOutputs(["modes", structured]) as Record<string, number>;
  assert.ok(modes.L > 0, `the offline sample has grayscale images: ${JSON.stringify(modes)}`);
  assert.deepEqual(
    results.converted,
    { grayscale: modes.L ?? 0, cmyk: modes.CMYK ?? 0, alpha: (modes.RGBA ?? 0) + (modes.LA ?? 0) },
    "conversions = Pillow's modes of the input",
  );
  assert.equal(results.convertedFiles.length, modes.L);
  for (const f of results.files)
    assert.equal(fs.statSync(path.join(dataDir, f.path)).isFile() || f.path.endsWith("/"), true);
  for (const f of results.files.filter((x) => !x.path.endsWith("/")))
    assert.equal(f.bytes, fs.statSync(path.join(dataDir, f.path)).size, `${f.path} size`);
  assert.ok(results.imagesPerSecond > 0 && results.seconds > 0);
  // the bad-input run (writeBadInputFolder): three conversions, four images left out, the first named
  const bad = results.badInput;
  assert.deepEqual(bad.written, { train: 6, val: 3 }, "the good and converted images written");
  assert.deepEqual(bad.converted, { grayscale: 1, cmyk: 1, alpha: 1 });
  assert.deepEqual([...bad.failures].sort(), [
    "train/cat/zero-size.jpg",
    "train/dog/empty.jpg",
    "val/cat/zero-size.png",
    "val/dog/truncated.jpg",
  ]);
  assert.match(
    bad.stopped,
    /^FormatError: image (is empty|has zero size|cannot be processed): \S*bad-input\/\w+\/\w+\/[\w-]+\.(jpg|png) /,
  );
  assert.ok(!fs.existsSync(path.join(res.outputDir, "bad-input-stopped")), "the stopped run wrote nothing");
  assert.ok(
    results.jpegBytes.min > 0 &&
      results.jpegBytes.min <= results.jpegBytes.mean &&
      results.jpegBytes.mean <= results.jpegBytes.max,
  );
}

/** Image grids (figure counts), stderr and the closing comparison of an executed notebook. */
export function checkOutputs(nb: ReturnType<typeof readNotebook>, grids: number[]): void {
  const cells = codeCells(nb);
  const outputs = cells.flatMap((c) => c.outputs ?? []);
  assert.equal(outputs.filter((o) => o.name === "stderr").length, 0);
  const html = outputs
    .filter((o) => o.data && "text/html" in o.data)
    .map((o) => text(o.data!["text/html"] as string[]));
  assert.deepEqual(
    html.filter((h) => h.includes("mldp-image-grid")).map((h) => h.match(/<figure/g)?.length),
    grids,
    "before/after and read-back grids",
  );
  const last = cells[cells.length - 1].outputs ?? [];
  assert.ok(last.some((o) => o.data && text(o.data["text/html"] as string[]).includes("mldp-workshop-comparison")));
  const total = outputs.reduce((n, o) => n + JSON.stringify(o).length, 0);
  assert.ok(total < 600_000, `all outputs together are ${total} bytes`);
}
