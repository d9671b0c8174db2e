import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { swapIntoPlace, tempPath, writeAtomicSync, writeFileAtomic } from "../../src/io/atomic";

describe("atomic writes", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writeAtomicSync renames the writer's temp file into place and returns its result", () => {
    const file = path.join(dir, "sub", "out.csv");
    let seen = "";
    const result = writeAtomicSync(file, (tmp) => {
      seen = tmp;
      fs.writeFileSync(tmp, "a,b\n1,2\n");
      return 42;
    });
    assert.equal(result, 42);
    assert.notEqual(seen, file, "the writer got a temp path");
    assert.equal(path.dirname(seen), path.dirname(file), "in the target's folder");
    assert.equal(fs.readFileSync(file, "utf8"), "a,b\n1,2\n");
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["out.csv"], "no temp file left");
  });

  it("a failing writer leaves the old file as it was and no temp file", () => {
    const file = path.join(dir, "out.csv");
    writeFileAtomic(file, "old\n");
    assert.throws(
      () =>
        writeAtomicSync(file, (tmp) => {
          fs.writeFileSync(tmp, "half a fi");
          throw new Error("disk full");
        }),
      /disk full/,
    );
    assert.equal(fs.readFileSync(file, "utf8"), "old\n");
    assert.deepEqual(fs.readdirSync(dir), ["out.csv"]);
  });

  it("tempPath names a fresh hidden file beside the target, with the suffix asked", () => {
    const a = tempPath(path.join(dir, "out.csv"));
    const b = tempPath(path.join(dir, "out.csv"));
    assert.match(path.basename(a), new RegExp(`^\\.out\\.csv\\.${process.pid}\\.\\d+\\.tmp$`));
    assert.notEqual(a, b, "a new name each call");
    assert.equal(path.dirname(a), dir);
    assert.match(path.basename(tempPath(path.join(dir, "cifar"), "extracting")), /^\.cifar\.\d+\.\d+\.extracting$/);
    assert.deepEqual(fs.readdirSync(dir), [], "nothing created");
  });

  it("swapIntoPlace renames a folder onto a new or an existing target and deletes the old one", () => {
    const target = path.join(dir, "data");
    const first = path.join(dir, "tmp1");
    fs.mkdirSync(first);
    fs.writeFileSync(path.join(first, "a.txt"), "one");
    swapIntoPlace(first, target);
    assert.deepEqual(fs.readdirSync(target), ["a.txt"]);
    const second = path.join(dir, "tmp2");
    fs.mkdirSync(second);
    fs.writeFileSync(path.join(second, "b.txt"), "two");
    swapIntoPlace(second, target);
    assert.deepEqual(fs.readdirSync(target), ["b.txt"]);
    assert.deepEqual(fs.readdirSync(dir), ["data"], "no temp or old folder left");
  });

  it("swapIntoPlace puts the old target back when the new one cannot be renamed into place", () => {
    const target = path.join(dir, "data");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "a.txt"), "old");
    assert.throws(() => swapIntoPlace(path.join(dir, "missing"), target), { code: "ENOENT" });
    assert.equal(fs.readFileSync(path.join(target, "a.txt"), "utf8"), "old");
    assert.deepEqual(fs.readdirSync(dir), ["data"], "the old folder is back under its name");
  });
});
