import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeAtomicSync, writeFileAtomic } from "../../src/io/atomic";

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
});
