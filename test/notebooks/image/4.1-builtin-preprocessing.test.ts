import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import { codeCells, readNotebook, runNotebooks, stdoutOf } from "../../helpers/notebooks";
import { mxnetRecordIO, readFormats } from "../../image/formats-helpers";
import { projectPath } from "../../../src/util/paths";
import { SPLITS, checkCommon, checkOutputs, manifestSplit, runPrep } from "./structured-folder";

const NB = projectPath("notebooks", "image", "4.1-builtin-preprocessing.ipynb");

describe("notebook image/4.1-builtin-preprocessing", () => {
  let res: ReturnType<typeof runPrep>;
  before(() => {
    res = runPrep(NB, "recordioDir");
  });

  it("writes results.json with the manifest's counts, the files, images/s and the grayscale images converted", () => {
    checkCommon(res, "recordio");
    assert.deepEqual(
      res.results.files.map((f) => f.path),
      [
        "classes.txt",
        ...["test", "train", "val"].flatMap((s) => [`${s}.idx`, `${s}.lst`, `${s}.rec`]),
        "workshop-lst/test.lst",
        "workshop-lst/train.lst",
        "workshop-lst/val.lst",
      ],
    );
    assert.equal((res.results as unknown as { recordsAgreeWithList: boolean }).recordsAgreeWithList, true);
  });

  it("writes im2rec's lists to the byte (Python's walk and random.seed(100) shuffle)", () => {
    for (const s of SPLITS) {
      const ours = fs.readFileSync(path.join(res.dataDir, `${s}.lst`), "utf8");
      assert.equal(ours, readFormats(["im2rec-list", path.join(res.structured, s)]).lst, `${s}.lst`);
    }
  });

  it("writes .rec/.idx that MXNet's own reader reads: list order, ids, labels, RGB JPEGs with shorter side 224", () => {
    const mx = mxnetRecordIO(["read", ...SPLITS.map((s) => path.join(res.dataDir, `${s}.rec`))]);
    for (const s of SPLITS) {
      const { records, idx, lst } = mx[path.join(res.dataDir, `${s}.rec`)] as {
        records: any[];
        idx: any[];
        lst: [number, number, string][];
      };
      const labelOf = new Map(manifestSplit(res.structured, s).map((e) => [e.path, e.label]));
      assert.equal(records.length, labelOf.size, `${s}: every image`);
      assert.deepEqual(
        records.map((r) => [r.id, r.label, r.flag]),
        lst.map(([i, label]) => [i, label, 0]),
        `${s}: records in list order`,
      );
      for (const [, label, p] of lst) assert.equal(label, labelOf.get(`${s}/${p}`), `${s}/${p}: the manifest's label`);
      assert.deepEqual(
        idx.map((e) => [e.key, e.offset, e.id, e.label]),
        records.map((r) => [r.id, r.offset, r.id, r.label]),
        `${s}.idx: id and offset of each record (MXIndexedRecordIO.read_idx)`,
      );
      assert.ok(
        records.every((r) => r.format === "JPEG" && r.mode === "RGB" && Math.min(r.width, r.height) === 224),
        `${s}: RGB JPEGs, shorter side 224`,
      );
    }
  });

  it("writes the workshop's hand-written lists: one running index over train, test, val and the manifest's labels", () => {
    let next = 0;
    for (const s of ["train", "test", "val"]) {
      const lines = fs
        .readFileSync(path.join(res.dataDir, "workshop-lst", `${s}.lst`), "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      const labelOf = new Map(manifestSplit(res.structured, s).map((e) => [`structured/${e.path}`, e.label]));
      assert.equal(lines.length, labelOf.size, s);
      for (const [index, label, p] of lines) {
        assert.equal(index, String(next++).padStart(10, "0"), `${s}: running index`);
        assert.equal(Number(label), labelOf.get(p), p);
      }
    }
  });

  it("shows the resize and read-back grids and the comparison", () => {
    checkOutputs(res.nb, [8, 8]);
    const rows = res.results.workshopComparison;
    assert.equal(rows.find((r) => r.what === "geometry and quality")!.status, "same");
  });

  it("runs on a user's own folder: no manifest, no val split, a class name with a space, .jpeg/.png/.JPG files", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-user-"));
    const mine = path.join(root, "mine");
    const files = { train: ["a.jpg", "b.jpeg", "c.png", "d.JPG"], test: ["e.jpg", "f.png"] };
    for (const [split, names] of Object.entries(files)) {
      for (const c of ["Golden Retriever", "cat"]) {
        fs.mkdirSync(path.join(mine, split, c), { recursive: true });
        for (const [k, name] of names.entries()) {
          const img = sharp({ create: { width: 300 + 20 * k, height: 240, channels: 3, background: "#48a" } });
          await (name.endsWith(".png") ? img.png() : img.jpeg()).toFile(path.join(mine, split, c, name));
        }
      }
    }
    const r = runNotebooks([
      NB,
      "-p",
      `structuredDir=${mine}`,
      "-p",
      `recordioDir=${root}/rec`,
      "-p",
      `outputDir=${root}/res`,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(fs.readFileSync(path.join(root, "res", "results.json"), "utf8"));
    assert.deepEqual(results.classes, ["Golden Retriever", "cat"]);
    assert.deepEqual(results.written, { train: 8, test: 4 });
    assert.deepEqual(results.warnings, [
      `workshop-lst/train.lst: 2 of 8 images listed (the workshop's rglob("*.jpg") takes only .jpg files)`,
      `workshop-lst/test.lst: 2 of 4 images listed (the workshop's rglob("*.jpg") takes only .jpg files)`,
    ]);
    const out = codeCells(readNotebook(path.join(r.outDir, "image", "4.1-builtin-preprocessing.ipynb"))).map(stdoutOf);
    assert.ok(
      out.some((o) => o.includes("note: workshop-lst/train.lst: 2 of 8 images listed")),
      "the warning shown",
    );
    assert.ok(out.some((o) => o.startsWith("test.rec: 4 records, test.lst: 4 lines, ids and labels agree: true")));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
