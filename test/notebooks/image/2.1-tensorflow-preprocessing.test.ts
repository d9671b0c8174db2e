import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runNotebooks } from "../../helpers/notebooks";
import { projectPath } from "../../../src/util/paths";
import { SPLITS, checkCommon, checkOutputs, manifestSplit, readOutputs, runPrep, sorted } from "./structured-folder";

const NB = projectPath("notebooks", "image", "2.1-tensorflow-preprocessing.ipynb");

describe("notebook image/2.1-tensorflow-preprocessing", () => {
  let res: ReturnType<typeof runPrep>;
  before(() => {
    res = runPrep(NB, "tfrecordDir");
  });

  it("writes results.json with the manifest's counts, the files, images/s and the grayscale images converted", () => {
    checkCommon(res, "tfrecord");
    assert.deepEqual(res.results.settings, {
      resize: "fit-crop-or-pad",
      size: 224,
      fitSize: 400,
      quality: 90,
      shuffle: true,
      seed: 0,
    });
    assert.deepEqual(
      res.results.files.map((f) => f.path),
      ["classes.txt", "test.tfrecord", "train.tfrecord", "val.tfrecord"],
    );
  });

  it("writes TFRecords the tfrecord package reads: CRCs, 224×224×3 RGB JPEGs, the manifest's labels per split", () => {
    const py = readOutputs(["tfrecord", res.dataDir, ...SPLITS]);
    for (const s of SPLITS) {
      const recs = py[s] as any[];
      const entries = manifestSplit(res.structured, s);
      assert.equal(recs.length, entries.length, s);
      assert.ok(
        recs.every((x) => x.crcOk),
        `${s}: masked CRC-32Cs`,
      );
      assert.ok(
        recs.every((x) => x.format === "JPEG" && x.mode === "RGB" && x.width === 224 && x.height === 224),
        `${s}: 224×224 RGB JPEGs`,
      );
      assert.ok(
        recs.every((x) => x.featureWidth === 224 && x.featureHeight === 224 && x.depth === 3),
        `${s}: features`,
      );
      assert.deepEqual(sorted(recs.map((x) => x.label)), sorted(entries.map((e) => e.label)), `${s}: labels`);
    }
  });

  it("shows the resize, augmentation and read-back grids and the comparison, with 224 replacing the 244 typo", () => {
    checkOutputs(res.nb, [16, 20, 8]);
    const rows = res.results.workshopComparison;
    assert.equal(rows.find((r) => r.what === "stored geometry")!.status, "replaced");
    assert.equal(rows.find((r) => r.what === "records per split (train / val / test)")!.here, "528 / 66 / 66");
  });

  it("with size=244 reproduces the workshop's geometry", () => {
    const { results, dataDir } = runPrep(NB, "tfrecordDir", ["-p", "size=244"]);
    assert.equal(results.settings.size, 244);
    assert.equal(results.workshopComparison.find((r) => r.what === "stored geometry")!.status, "same");
    const val = readOutputs(["tfrecord", dataDir, "val"]).val as any[];
    assert.ok(val.every((x) => x.width === 244 && x.height === 244));
  });

  it("stops with a message to run notebook 1.2 when the structured folder is absent", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mldp-prep-empty-"));
    const r = runNotebooks([NB, "-p", `structuredDir=${empty}/structured`, "-p", `outputDir=${empty}/out`]);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /image\/2\.1-tensorflow-preprocessing: cell \d+: .*structured image folder not found: .*1\.2-structuring-data/,
    );
    assert.ok(!fs.existsSync(path.join(empty, "out")), "nothing written");
  });
});
