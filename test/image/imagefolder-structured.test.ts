import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readImageFolderSplits, writeImageFolder } from "../../src/image/imagefolder";
import { formatLst, im2recList, workshopLst } from "../../src/image/lst";
import { RecordIOReader, writeRecordIO } from "../../src/image/recordio";
import { structureDataset, type StructuredDataset } from "../../src/image/structure";
import { readTFRecord, writeTFRecord } from "../../src/image/tfrecord";
import { mxnetRecordIO, readFormats, sha256, smallJpegs } from "./formats-helpers";
import { tempDir } from "./image-helpers";

const CLASSES = ["bear", "bird", "cat", "cow", "dog", "elephant", "frog", "giraffe", "horse", "sheep", "zebra"];

describe("the four formats on the structured 11-class layout", () => {
  const root = tempDir("formats-structured");
  const build = path.join(root, "structured");
  let ds: StructuredDataset;
  const labelOf = new Map<string, number>();

  before(async function () {
    this.timeout(300_000);
    // 10 generated JPEGs per class, structured 8/1/1 by structureDataset (stratified, seed 0).
    const jpegs = await smallJpegs(110, 21, 40);
    fs.mkdirSync(path.join(root, "src"));
    const items = jpegs.map((j, i) => {
      const file = path.join(root, "src", `${100000 + i}.jpg`);
      fs.writeFileSync(file, j.data);
      return { id: 100000 + i, className: CLASSES[i % 11], file, source: "test" };
    });
    ds = await structureDataset(items, build);
    for (const e of ds.entries) labelOf.set(e.path, e.label);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("ImageFolder: every split reads with the 11 classes and the manifest's labels", () => {
    const splits = readImageFolderSplits(build);
    for (const [s, folder] of splits) {
      assert.deepEqual(folder.classes, CLASSES, `${s} classes`);
      assert.equal(folder.samples.length, s === "train" ? 88 : 11, `${s} images`);
      for (const [p, label] of folder.samples) {
        assert.equal(label, labelOf.get(path.relative(build, p).split(path.sep).join("/")), p);
      }
    }
  });

  it("im2rec list of train: folder labels 0..10, the manifest's labels, Python's exact text", () => {
    const list = im2recList(path.join(build, "train"));
    assert.deepEqual(
      list.folders,
      CLASSES.map((folder, label) => ({ folder, label })),
      "bear 0 ... zebra 10",
    );
    for (const e of list.entries) assert.equal(e.labels[0], labelOf.get(`train/${e.path}`), e.path);
    assert.equal(formatLst(list.entries), readFormats(["im2rec-list", path.join(build, "train")]).lst, "text");
  });

  it("workshop lists: one running index (train, test, val), manifest labels, structured/ paths", () => {
    const lists = workshopLst(build);
    assert.deepEqual(
      [...lists].map(([s, l]) => [s, l[0].index, l.at(-1)!.index]),
      [
        ["train", 0, 87],
        ["test", 88, 98],
        ["val", 99, 109],
      ],
    );
    for (const l of lists.values()) {
      for (const e of l) assert.equal(e.labels[0], labelOf.get(e.path.replace(/^structured\//, "")), e.path);
    }
  });

  it("TFRecord and RecordIO of every split are read back by the Python readers with the same labels", async () => {
    for (const s of ["train", "val", "test"] as const) {
      const entries = ds.entries.filter((e) => e.split === s);
      const tf = path.join(root, "tfrecord", `${s}.tfrecord`);
      const examples = entries.map((e) => ({
        height: e.height,
        width: e.width,
        depth: 3,
        label: e.label,
        imageRaw: fs.readFileSync(path.join(build, e.path)),
      }));
      await writeTFRecord(tf, examples, { numClasses: 11 });
      const py = readFormats(["tfrecord", tf]);
      assert.deepEqual(
        py.map((r: any) => [r.label, r.height, r.width, r.imageSha256, r.dataCrcOk && r.deterministic]),
        entries.map((e) => [e.label, e.height, e.width, e.sha256, true]),
        `${s}.tfrecord`,
      );
      assert.equal(readTFRecord(tf).length, entries.length, `${s}.tfrecord read back`);

      const list = im2recList(path.join(build, s));
      const rec = path.join(root, "recordio", `${s}.rec`);
      await writeRecordIO(
        rec,
        list.entries.map((e) => ({
          label: e.labels[0],
          id: e.index,
          image: fs.readFileSync(path.join(build, s, e.path)),
        })),
        { numClasses: 11 },
      );
      const mxRec = mxnetRecordIO(["read", rec])[rec];
      assert.deepEqual(
        mxRec.records.map((r: any) => [r.id, r.label, r.imageSha256]),
        list.entries.map((e) => [e.index, e.labels[0], sha256(fs.readFileSync(path.join(build, s, e.path)))]),
        `${s}.rec (read by MXNet)`,
      );
      assert.deepEqual(
        RecordIOReader.open(rec).keys,
        list.entries.map((e) => e.index),
        `${s}.idx keys = .lst indices`,
      );
    }
  });

  it("writes the PyTorch route's 00..10 folders that read back with the same labels", async () => {
    const splits = readImageFolderSplits(build);
    const items = [...splits].flatMap(([s, f]) =>
      f.samples.map(([p, label]) => ({
        split: s,
        className: f.classes[label],
        name: path.basename(p),
        data: fs.readFileSync(p),
      })),
    );
    const out = path.join(root, "resized");
    await writeImageFolder(out, items, { folderNames: "label", classes: CLASSES });
    const back = readImageFolderSplits(out);
    const val = back.get("val")!;
    assert.deepEqual(val.classes, ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10"], "folders");
    assert.deepEqual(
      val.samples.map(([p, l]) => [path.basename(p), l]),
      splits.get("val")!.samples.map(([p, l]) => [path.basename(p), l]),
      "same files, same labels",
    );
  });
});
