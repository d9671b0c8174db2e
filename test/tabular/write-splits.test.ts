import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pl from "nodejs-polars";
import { labelToBinary, oneHot, dropColumns } from "../../src/tabular/clean";
import { split } from "../../src/tabular/split";
import { writeSplits } from "../../src/tabular/write-splits";
import { DataPrepError, SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

// readCSV treats a string path without a .csv/.tsv extension as CSV text, so pass the bytes.
const readChurn = () => pl.readCSV(fs.readFileSync(CHURN));
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "write-splits-"));
const TRICKY = [0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, 123456789.12345679, 1, 2 / 3, 1e22];

function tricky(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("y", [1, 0, 1, 0, 1, 0, 1, 0], pl.Int64),
    pl.Series("x", TRICKY, pl.Float64),
    pl.Series("flag", [true, false, true, false, true, false, true, false]),
  ]);
}

describe("writeSplits", () => {
  it("writes header CSVs, label-first headerless XGBoost CSVs and Parquet, and lists them", () => {
    const dir = tmpDir();
    const df = tricky();
    const files = writeSplits({ train: df, validation: df.head(2), test: df.tail(2) }, dir, {
      formats: ["csv", "xgboost", "parquet"],
      label: "y",
    });
    const rel = files.map((f) => path.relative(dir, f));
    assert.deepEqual(
      rel,
      [
        "train.csv",
        "validation.csv",
        "test.csv",
        "xgboost/train.csv",
        "xgboost/validation.csv",
        "xgboost/test.csv",
        "train.parquet",
        "validation.parquet",
        "test.parquet",
      ],
      "files in order",
    );
    assert.equal(fs.readFileSync(path.join(dir, "train.csv"), "utf8").split("\n")[0], "y,x,flag", "header");
    assert.equal(
      fs.readFileSync(path.join(dir, "xgboost/validation.csv"), "utf8"),
      "1,0.30000000000000004,1\n0,1e-300,0\n",
      "xgboost rows: label first, booleans 0/1, no header",
    );
    assert.deepEqual(
      fs.readdirSync(dir).sort(),
      ["test.csv", "test.parquet", "train.csv", "train.parquet", "validation.csv", "validation.parquet", "xgboost"],
      "no temp files left",
    );
    fs.rmSync(dir, { recursive: true });
  });

  it("round-trips floats exactly through CSV and Parquet", () => {
    const dir = tmpDir();
    writeSplits({ train: tricky() }, dir, { formats: ["csv", "parquet"] });
    const csv = pl.readCSV(path.join(dir, "train.csv"));
    assert.deepEqual(csv.getColumn("x").toArray(), TRICKY, "CSV floats");
    assert.ok(pl.readParquet(path.join(dir, "train.parquet")).frameEqual(tricky()), "Parquet frame");
    fs.rmSync(dir, { recursive: true });
  });

  it("writes the workshop's churn splits: 4,000/500/500 rows, test label 254 ones", () => {
    const dir = tmpDir();
    const features = oneHot(
      dropColumns(labelToBinary(readChurn(), { label: "Churn?", positive: "True." }), ["State", "Area Code", "Phone"]),
      { columns: ["Int'l Plan", "VMail Plan"] },
    );
    const s = split(features, { seed: 1024 });
    writeSplits(s, dir, { formats: ["csv", "xgboost"], inputFile: CHURN });
    const lines = fs.readFileSync(path.join(dir, "xgboost/test.csv"), "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 500, "test rows, no header");
    assert.equal(lines.filter((l) => l.startsWith("1,")).length, 254, "ones in the first column");
    assert.equal(lines[0].split(",").length, 20, "label + 19 features");
    const train = pl.readCSV(path.join(dir, "train.csv"));
    assert.equal(train.height, 4000, "train rows");
    assert.ok(
      train.frameEqual(
        s.train.withColumns(...s.train.columns.filter((c) => c.includes("Plan_")).map((c) => pl.col(c).cast(pl.Int64))),
      ),
      "train.csv reads back equal (dummies as integers)",
    );
    fs.rmSync(dir, { recursive: true });
  });

  it("refuses to overwrite the input file, even through a symlinked folder, and writes nothing", () => {
    const dir = tmpDir();
    const input = path.join(dir, "train.csv");
    fs.writeFileSync(input, "original");
    fs.symlinkSync(dir, path.join(dir, "link"));
    for (const target of [dir, path.join(dir, "link")]) {
      assert.throws(
        () => writeSplits({ test: tricky(), train: tricky() }, target, { inputFile: input }),
        (e: Error) =>
          e instanceof DataPrepError &&
          e.message.includes("output file is the input file") &&
          e.message.includes("train.csv"),
        `target ${target}`,
      );
    }
    assert.equal(fs.readFileSync(input, "utf8"), "original", "input untouched");
    assert.ok(!fs.existsSync(path.join(dir, "test.csv")), "nothing else written");
    fs.rmSync(dir, { recursive: true });
  });

  it("rejects a text column in the XGBoost format, naming it", () => {
    const dir = tmpDir();
    const df = pl.DataFrame({ y: [1, 0], plan: ["yes", "no"] });
    assert.throws(
      () => writeSplits({ train: df }, dir, { formats: ["xgboost"] }),
      (e: Error) => e instanceof SchemaError && /"plan" is String in the train split/.test(e.message),
      "text column",
    );
    assert.deepEqual(fs.readdirSync(dir), [], "nothing written");
    fs.rmSync(dir, { recursive: true });
  });
});
