import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTorchPth } from "../../src/image/torch-pth";
import { parsePickle } from "../../src/image/pickle";
import { FormatError } from "../../src/util/errors";
import { projectPath } from "../../src/util/paths";

const PYTHON = projectPath(".venv", "bin", "python");
const MAKE = projectPath("test", "fixtures", "efficientnet", "make_torch_pth.py");

describe("readTorchPth (legacy torch serialisation)", () => {
  let dir: string;
  let file: string;
  let expected: Record<string, { shape: number[]; values: number[]; dtype: string }>;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "torch-pth-"));
    file = path.join(dir, "small.pth");
    // written by Python's pickle with stand-in torch modules, in this test run
    expected = JSON.parse(execFileSync(PYTHON, [MAKE, file], { encoding: "utf8" }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads every tensor in file order, applying sizes, strides and storage offsets", () => {
    const tensors = readTorchPth(file);
    assert.deepEqual([...tensors.keys()], ["conv.weight", "view.a", "view.b", "bn.num_batches_tracked"]);
    for (const [name, want] of Object.entries(expected)) {
      const t = tensors.get(name)!;
      assert.deepEqual(t.shape, want.shape, `${name} shape`);
      assert.equal(t.dtype, want.dtype === "int64" ? "int64" : "float32", `${name} dtype`);
      const got = Array.from(t.data as ArrayLike<number | bigint>, Number);
      assert.deepEqual(got, want.values, `${name} values`);
    }
    // the channel-last conv weight: element [o=1, i=0, h=0, w=0] is storage element 1 (stride (1,2,12,6))
    assert.equal(tensors.get("conv.weight")!.data[12], -2.5);
  });

  it("rejects a truncated copy with a FormatError naming the file and the storage", () => {
    const bytes = fs.readFileSync(file);
    const cut = path.join(dir, "cut.pth");
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    assert.throws(
      () => readTorchPth(cut),
      (e: Error) => e instanceof FormatError && /truncated/.test(e.message) && e.message.includes(cut),
    );
    fs.writeFileSync(cut, bytes.subarray(0, 200));
    assert.throws(
      () => readTorchPth(cut),
      (e: Error) => e instanceof FormatError && /truncated/.test(e.message) && e.message.includes(cut),
    );
  });

  it("rejects files that are not the legacy format, naming them", () => {
    const zip = path.join(dir, "zip.pth");
    fs.writeFileSync(zip, Buffer.from("PK\u0003\u0004 a zip-format checkpoint"));
    assert.throws(
      () => readTorchPth(zip),
      (e: Error) => e instanceof FormatError && e.message.includes(zip),
    );
    assert.throws(
      () => readTorchPth(path.join(dir, "absent.pth")),
      (e: Error) => e instanceof FormatError && e.message.includes("absent.pth"),
    );
    // a plain pickle of an int is not the torch magic number
    const other = path.join(dir, "other.pth");
    fs.writeFileSync(other, Buffer.from([0x80, 0x02, 0x4b, 0x07, 0x2e]));
    assert.throws(() => readTorchPth(other), /magic number 7/);
  });

  it("keeps refusing persistent ids and torch globals in plain pickles (the CIFAR reader)", () => {
    const bytes = fs.readFileSync(file);
    // the 4th pickle (the state dict) starts after three small ones; a plain parse of the whole file reads the
    // magic number only, and the state dict alone is refused because it names torch globals
    assert.equal(BigInt(parsePickle(bytes, "x") as bigint), 0x1950a86a20f9469cfc6cn);
    const at = bytes.indexOf(Buffer.from("collections\nOrderedDict"));
    assert.ok(at > 0);
    assert.throws(() => parsePickle(bytes.subarray(at - 3), "state"), /collections\.OrderedDict: not allowed/);
  });
});
