import assert from "node:assert/strict";
import * as path from "node:path";
import { projectPath } from "../../../src/util/paths";
import { CLASSES, SPLITS, checkCommon, checkOutputs, manifestSplit, readOutputs, runPrep } from "./structured-folder";

const NB = projectPath("notebooks", "image", "3.1-pytorch-preprocessing.ipynb");
const FOLDERS = CLASSES.map((_, i) => String(i).padStart(2, "0"));

describe("notebook image/3.1-pytorch-preprocessing", () => {
  let res: ReturnType<typeof runPrep>;
  before(() => {
    res = runPrep(NB, "resizedDir");
  });

  it("writes results.json with the manifest's counts, folder sizes, images/s and the grayscale images converted", () => {
    checkCommon(res, "imagefolder");
    assert.deepEqual(res.results.settings, {
      resize: "shorter-side",
      size: 224,
      fitSize: 400,
      quality: 90,
      shuffle: true,
      seed: 0,
      folderNames: "label",
    });
    assert.deepEqual(
      res.results.files.map((f) => f.path),
      ["classes.txt", "test/", "train/", "val/"],
    );
  });

  it("writes 00..10 folders that a Python walk reads: every manifest image, RGB JPEG, shorter side 224, its label", () => {
    const py = readOutputs(["imagefolder", res.dataDir, ...SPLITS]);
    let bytes = 0;
    for (const s of SPLITS) {
      const files = py[s] as any[];
      assert.deepEqual([...new Set(files.map((f) => f.folder))], FOLDERS, `${s}: folders 00..10`);
      const expected = manifestSplit(res.structured, s)
        .map((e) => `${FOLDERS[e.label]}/${path.basename(e.path, path.extname(e.path))}.jpg`)
        .sort();
      assert.deepEqual(
        files.map((f) => `${f.folder}/${f.name}`).sort(),
        expected,
        `${s}: each image in its label's folder`,
      );
      assert.ok(
        files.every((f) => f.format === "JPEG" && f.mode === "RGB" && Math.min(f.width, f.height) === 224),
        `${s}: RGB JPEGs, shorter side 224`,
      );
      bytes += res.results.files.find((f) => f.path === `${s}/`)!.bytes;
    }
    assert.equal(bytes, res.results.jpegBytes.total, "folder sizes add up to the JPEGs");
  });

  it("shows the resize, augmentation and read-back grids and the comparison", () => {
    checkOutputs(res.nb, [12, 16, 11]);
    const rows = res.results.workshopComparison;
    assert.equal(rows.find((r) => r.what === "class folders")!.status, "same");
    assert.equal(rows.find((r) => r.what === "Normalize(mean, std)")!.status, "replaced");
  });

  it("with folderNames=name and resize=center-crop writes class-name folders of 224×224 images", () => {
    const { results, dataDir } = runPrep(NB, "resizedDir", ["-p", "folderNames=name", "-p", "resize=center-crop"]);
    const val = readOutputs(["imagefolder", dataDir, "val"]).val as any[];
    assert.deepEqual([...new Set(val.map((f) => f.folder))], CLASSES);
    assert.ok(val.every((f) => f.width === 224 && f.height === 224));
    assert.equal(val.length, results.written.val);
  });
});
