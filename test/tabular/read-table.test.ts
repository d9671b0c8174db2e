import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { _parseFast, _parseScanned, countByte } from "../../src/tabular/csv-scan";
import { readTable } from "../../src/tabular/read-table";
import { syntheticChurn } from "../../src/tabular/synthetic-churn";
import { DataPrepError, FormatError, SchemaError } from "../../src/util/errors";
import { CHURN } from "../helpers/data";

const FIXTURES = path.resolve(__dirname, "../../../test/fixtures/read-table");
const fixture = (name: string) => path.join(FIXTURES, name);
const dtypes = (df: ReturnType<typeof readTable>["df"]) => df.dtypes.map((d) => d.variant as string);
const dtypeOf = (df: ReturnType<typeof readTable>["df"], column: string) =>
  df.getColumn(column).dtype.variant as string;

/** Assert that `fn` throws an error of class `kind` whose message contains every one of `parts`. */
function assertThrows(fn: () => unknown, kind: new (...args: never[]) => Error, parts: string[]): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.name}: ${e.message}`);
    for (const part of parts)
      assert.ok(e.message.includes(part), `message ${JSON.stringify(e.message)} names ${JSON.stringify(part)}`);
    return true;
  });
}

describe("readTable", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "read-table-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("reads the real churn.txt as 5,000 rows × 21 columns with the workshop's dtypes and balance", () => {
    const { df, meta } = readTable(CHURN);
    assert.deepEqual([df.height, df.width], [5000, 21], "shape");
    const kinds = dtypes(df);
    assert.equal(kinds.filter((d) => d === "Float64").length, 8, "8 float64 columns");
    assert.equal(kinds.filter((d) => d === "Int64").length, 8, "8 int64 columns");
    assert.equal(kinds.filter((d) => d === "String").length, 5, "5 string columns");
    assert.equal(dtypeOf(df, "Area Code"), "Int64", "Area Code is Int64");
    assert.equal(dtypeOf(df, "Night Calls"), "Int64", "Night Calls is Int64");
    const counts = Object.fromEntries(
      df
        .getColumn("Churn?")
        .valueCounts()
        .rows()
        .map(([k, n]) => [k, n]),
    );
    assert.deepEqual(counts, { "True.": 2498, "False.": 2502 }, "class balance");
    assert.deepEqual(
      {
        file: meta.file,
        rows: meta.rows,
        columns: meta.columns.length,
        label: meta.label,
        positive: meta.positive,
        separator: meta.separator,
      },
      { file: CHURN, rows: 5000, columns: 21, label: "Churn?", positive: "True.", separator: "," },
      "metadata",
    );
  });

  it("reads quoted fields with commas, quotes and newlines, CRLF line ends and a BOM", () => {
    const { df } = readTable(fixture("quoted-crlf-bom.csv"), { label: "label", positive: "yes" });
    assert.deepEqual(df.columns, ["id", "text", "label"], "the BOM is not part of the first name");
    assert.deepEqual(df.getColumn("text").toArray(), ["a, b", 'say "hi"', "two\r\nlines"], "quoted values");
    assert.deepEqual(df.getColumn("label").toArray(), ["yes", "no", "yes"], "no \\r left on the last field");
    assert.equal(dtypeOf(df, "id"), "Int64", "id is Int64");
  });

  it("reads empty and whitespace-only fields in numeric columns as missing values", () => {
    const { df } = readTable(fixture("blanks.csv"), { label: "label" });
    assert.equal(dtypeOf(df, "amount"), "Float64", "amount is Float64, not String");
    assert.deepEqual(df.getColumn("amount").toArray(), [1.5, null, null, 2], "amount values");
    assert.equal(dtypeOf(df, "count"), "Int64", "count stays Int64");
    assert.deepEqual(df.getColumn("count").toArray(), [7, null, 8, null], "count values");
  });

  it("sniffs ';', tab and '|' separators from the header, and takes one given explicitly", () => {
    const semi = readTable(fixture("semicolon.csv"), { label: "label" });
    assert.equal(semi.meta.separator, ";", "semicolon sniffed");
    assert.deepEqual(semi.df.getColumn("b").toArray(), ["2,5", "4"], "a comma inside a ;-separated field stays");
    assert.equal(readTable(fixture("tab.tsv"), { label: "label" }).meta.separator, "\t", "tab sniffed");
    assert.deepEqual(
      readTable(fixture("pipe.psv"), { label: "label" }).df.shape,
      { height: 2, width: 3 },
      "pipe file shape",
    );
    assert.deepEqual(
      readTable(fixture("tab.tsv"), { label: null, separator: "," }).df.columns,
      ["a\tb\tlabel"],
      "explicit separator wins",
    );
  });

  it("infers types from the whole file, not the first rows", () => {
    const ints = Array.from({ length: 3000 }, (_, i) => String(i));
    const file = path.join(tmp, "late.csv");
    fs.writeFileSync(
      file,
      ["n,f,s,label", ...ints.map((v, i) => `${v},${v},${v},${i % 2 ? "a" : "b"}`), "7,1.5,x,a"].join("\n"),
    );
    const { df } = readTable(file, { label: "label" });
    assert.deepEqual(
      dtypes(df),
      ["Int64", "Float64", "String", "String"],
      "types after a late float and a late string",
    );
    assert.equal(df.height, 3001, "rows");
  });

  it("drops blank lines of a multi-column file instead of making rows of nulls", () => {
    const { df } = readTable(fixture("blank-lines.csv"), { label: "label" });
    assert.deepEqual(df.getColumn("a").toArray(), [1, 3], "two rows");
  });

  it("reports a ragged row with its line number and field counts", () => {
    assertThrows(() => readTable(fixture("ragged.csv"), { label: "label" }), FormatError, [
      "ragged.csv",
      "line 4",
      "data row 3",
      ": 2 (expected 3",
    ]);
    assertThrows(() => readTable(fixture("ragged-after-quoted.csv"), { label: "label" }), FormatError, [
      "line 4",
      "data row 2",
      ": 4 (expected 3",
    ]);
    assertThrows(() => readTable(fixture("unclosed-quote.csv"), { label: "label" }), FormatError, [
      "not closed",
      "line 2",
    ]);
  });

  it("parses a file without quotes with polars alone, to the very frame the checked scan gives", () => {
    const synthetic = path.join(tmp, "synthetic.csv");
    fs.writeFileSync(synthetic, syntheticChurn({ rows: 3000, seed: 5 }));
    for (const file of [CHURN, synthetic]) {
      const bytes = fs.readFileSync(file);
      const fast = _parseFast(bytes, 0, ",", [], file);
      assert.ok(fast, `fast path taken for ${path.basename(file)}`);
      const scanned = _parseScanned(bytes, 0, ",", [], file);
      assert.deepEqual(fast.dtypes.map(String), scanned.dtypes.map(String), "same dtypes");
      assert.ok(fast.frameEqual(scanned, true), `same values for ${path.basename(file)}`);
    }
  });

  it("reads late ' 5', '+5', 'nan' and 'inf' in a numeric column as numbers on both paths", () => {
    const late = (value: string, base: string) =>
      ["a,b", ...Array.from({ length: 1500 }, (_, i) => `${i === 1398 ? value : base},${i}`)].join("\n");
    for (const [value, base, dtype] of [
      [" 5", "1", "Int64"],
      ["+5", "1", "Int64"],
      ["\t-5", "1", "Int64"],
      [" 1.5", "2.5", "Float64"],
      ["nan", "2.5", "Float64"],
      ["-Infinity", "2.5", "Float64"],
      ["5.e3", "2.5", "Float64"],
    ]) {
      const bytes = Buffer.from(late(value, base));
      const fast = _parseFast(bytes, 0, ",", [], "late.csv");
      const scanned = _parseScanned(bytes, 0, ",", [], "late.csv");
      assert.ok(fast, `fast path taken for ${JSON.stringify(value)}`);
      assert.deepEqual(
        [dtypeOf(fast, "a"), dtypeOf(scanned, "a")],
        [dtype, dtype],
        `dtype for ${JSON.stringify(value)}`,
      );
      assert.ok(fast.frameEqual(scanned, true), `same values for ${JSON.stringify(value)}`);
    }
  });

  it("takes the fast path when the last column has empty values, counting separators to rule out short rows", () => {
    const text = ["a,b,note", ...Array.from({ length: 1500 }, (_, i) => `${i},${i % 7},${i % 3 ? "" : "ok"}`)].join(
      "\n",
    );
    const bytes = Buffer.from(text);
    const fast = _parseFast(bytes, 0, ",", [], "notes.csv");
    assert.ok(fast, "fast path taken");
    assert.equal(fast.getColumn("note").nullCount(), 1000, "empty notes are nulls");
    assert.ok(fast.frameEqual(_parseScanned(bytes, 0, ",", [], "notes.csv"), true), "same frame as the scan");
    const short = Buffer.from(text.replace("\n1200,3,ok\n", "\n1200,3\n"));
    assert.equal(_parseFast(short, 0, ",", [], "short.csv"), null, "a short row among empty notes is declined");
    assertThrows(() => _parseScanned(short, 0, ",", [], "short.csv"), FormatError, ["line 1202", ": 2 (expected 3"]);
  });

  it("countByte counts a byte four at a time at any alignment", () => {
    const bytes = Buffer.from("a,b,,c\n".repeat(300) + ",");
    for (const offset of [0, 1, 2, 3]) {
      const view = bytes.subarray(offset);
      const expected = [...view].filter((b) => b === 44).length;
      assert.equal(countByte(view, 44, 0), expected, `offset ${offset}`);
      assert.equal(
        countByte(view, 44, 5),
        [...view.subarray(5)].filter((b) => b === 44).length,
        `offset ${offset}, from 5`,
      );
    }
    assert.equal(countByte(Buffer.alloc(5000), 0, 0), 5000, "runs longer than 255 words");
    assert.equal(
      countByte(new Uint8Array(new ArrayBuffer(8), 1, 2).fill(44), 44, 0),
      2,
      "ends before an aligned address",
    );
    assert.equal(countByte(bytes.subarray(1, 7), 44, 6), 0, "from at the end");
  });

  it("names a column that polars would read as a regular expression", () => {
    const file = path.join(tmp, "regex-name.csv");
    fs.writeFileSync(file, "^a.*$,ab\n1,2\n");
    assertThrows(() => readTable(file, { label: null }), SchemaError, [
      '"^a.*$"',
      "regular expression",
      "regex-name.csv",
      "line 1",
    ]);
  });

  describe("leaves to the checked scan every file the fast path could misread (1,500 rows, the odd line late)", () => {
    const rows = (odd: number, line: string, column = "c") =>
      [
        `a,b,${column}`,
        ...Array.from({ length: 1500 }, (_, i) => (i + 2 === odd ? line : `${i},${i % 7},${i % 2 ? "x" : "y"}`)),
      ].join("\n") + "\n";
    const write = (name: string, text: string) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, text);
      assert.equal(_parseFast(fs.readFileSync(file), 0, ",", [], file), null, `${name}: fast path declined`);
      return file;
    };
    it("a longer row, which polars would cut, is reported with its line", () => {
      assertThrows(() => readTable(write("long.csv", rows(1400, "1,2,x,extra")), { label: null }), FormatError, [
        "line 1400",
        ": 4 (expected 3",
      ]);
    });
    it("a shorter row, which polars would pad, is reported with its line", () => {
      assertThrows(() => readTable(write("short.csv", rows(1300, "1,2")), { label: null }), FormatError, [
        "line 1300",
        ": 2 (expected 3",
      ]);
    });
    it("a blank line is dropped, not read as a row of nulls", () => {
      const { df } = readTable(write("blank.csv", rows(1200, "")), { label: null });
      assert.equal(df.height, 1499, "rows");
      assert.equal(df.getColumn("c").nullCount(), 0, "no null row");
    });
    it("a whitespace-only text value is a missing value", () => {
      const { df } = readTable(write("ws.csv", rows(1100, "1,2,   ")), { label: null });
      assert.equal(df.getColumn("c").nullCount(), 1, "one null");
    });
    it("a column empty in every sampled row gets its type from the later rows", () => {
      const text = ["a,b,c", ...Array.from({ length: 1500 }, (_, i) => `${i},${i < 1200 ? "" : i},z`)].join("\n");
      const { df } = readTable(write("late-values.csv", text), { label: null });
      assert.equal(dtypeOf(df, "b"), "Int64", "b is Int64, not String");
    });
    it("a last line with one field too many and no final newline (polars drops it) is reported", () => {
      const text = rows(0, "").trimEnd() + ",extra";
      assertThrows(() => readTable(write("extra-last.csv", text), { label: null }), FormatError, [
        "line 1501",
        ": 4 (expected 3",
      ]);
      const shortAndExtra = text.replace("\n600,5,y\n", "\n600,5\n");
      assertThrows(() => readTable(write("short-and-extra.csv", shortAndExtra), { label: null }), FormatError, [
        "line 602",
        ": 2 (expected 3",
      ]);
    });
    it("a lone CR inside a row (a line end to the scan, text to polars) is reported with its line", () => {
      assertThrows(() => readTable(write("lone-cr.csv", rows(1400, "1,2,x\ry")), { label: null }), FormatError, [
        "line 1401",
        ": 1 (expected 3",
      ]);
    });
    it("a quoted field and CR-only line ends go through the scan", () => {
      assert.equal(
        readTable(write("quoted.csv", rows(900, '1,2,"q"')), { label: null })
          .df.getColumn("c")
          .toArray()[898],
        "q",
        "quoted value",
      );
      const cr = readTable(write("cr.csv", rows(0, "").replaceAll("\n", "\r")), { label: null }).df;
      assert.deepEqual(
        [cr.height, cr.getColumn("a").toArray()[1499], cr.getColumn("c").toArray()[1]],
        [1500, 1499, "x"],
        "CR-only rows read like LF rows",
      );
    });
  });

  it("reports a missing file, an empty file and a header-only file", () => {
    assertThrows(() => readTable(fixture("nope.csv")), DataPrepError, ["not found", "nope.csv"]);
    assertThrows(() => readTable(fixture("empty.csv")), SchemaError, ["empty", "0 bytes", "no data rows", "empty.csv"]);
    assertThrows(() => readTable(fixture("header-only.csv"), { label: "label" }), SchemaError, [
      "no data rows",
      "header-only.csv",
    ]);
  });

  it("reports an absent label with the columns, and a label with more than two values", () => {
    assertThrows(() => readTable(fixture("no-label.csv")), SchemaError, ['"Churn?"', '"a", "b"', "no-label.csv"]);
    assertThrows(() => readTable(fixture("three-labels.csv"), { label: "label" }), SchemaError, [
      '"maybe", "no", "yes"',
      "expected two",
      'column "label"',
    ]);
  });

  it("matches a typed positive value against a boolean label case-insensitively", () => {
    // Shaped like the original 3,333-row churn file, whose "Churn?" column polars reads as booleans.
    const file = fixture("bool-label.csv");
    assert.equal(readTable(file).df.getColumn("Churn?").dtype.variant, "Bool", "label read as booleans");
    for (const positive of ["True", "true", "TRUE", "1", true, 1]) {
      assert.equal(readTable(file, { positive }).meta.positive, true, `positive=${JSON.stringify(positive)} is true`);
    }
    for (const positive of ["False", "false", "0"])
      assert.equal(readTable(file, { positive }).meta.positive, false, `positive=${JSON.stringify(positive)} is false`);
    assertThrows(() => readTable(file, { positive: "yes" }), SchemaError, [
      "positive value is absent",
      '"yes"',
      "false, true",
      'column "Churn?"',
      "bool-label.csv",
    ]);
    assertThrows(() => readTable(file, { positive: "True." }), SchemaError, ['"True."', "false, true"]);
  });

  it("checks a given positive value against a text label exactly, and not the default one", () => {
    const file = fixture("quoted-crlf-bom.csv");
    assert.equal(readTable(file, { label: "label", positive: "yes" }).meta.positive, "yes");
    assertThrows(() => readTable(file, { label: "label", positive: "Yes" }), SchemaError, ['"Yes"', "expected one of"]);
    assert.equal(readTable(file, { label: "label" }).meta.positive, "True.", "the default is not checked");
  });

  it("rejects a label with a single class, naming the column, its value and that two are needed", () => {
    assertThrows(() => readTable(fixture("single-class.csv")), SchemaError, [
      "single class",
      '"True."',
      "two classes",
      'column "Churn?"',
      "single-class.csv",
    ]);
  });

  it("says a binary file is not a text CSV, with the file and the byte offset", () => {
    const gz = path.join(tmp, "churn.csv.gz");
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(fixture("bool-label.csv"))));
    assertThrows(() => readTable(gz), FormatError, [
      "not a text CSV",
      "not UTF-8 (8b",
      "byte offset 1",
      "churn.csv.gz",
    ]);
    const nul = path.join(tmp, "nul.csv");
    fs.writeFileSync(nul, "a,b\n1,2\n3,\u00004\n");
    assertThrows(() => readTable(nul, { label: null }), FormatError, ["NUL byte", "byte offset 10", "nul.csv"]);
    const latin1 = path.join(tmp, "latin1.csv");
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from("city,y\nM"), Buffer.from([0xfc]), Buffer.from("nchen,1\n")]));
    assertThrows(() => readTable(latin1, { label: null }), FormatError, ["not UTF-8 (fc 6e", "byte offset 8"]);
    // Valid multi-byte text and a BOM still read.
    const utf8 = path.join(tmp, "utf8.csv");
    fs.writeFileSync(utf8, "\ufeffcity,y\nMünchen,1\n東京,0\n🙂,1\n");
    assert.deepEqual(readTable(utf8, { label: null }).df.getColumn("city").toArray(), ["München", "東京", "🙂"]);
  });

  it("reports a column whose every value is missing", () => {
    assertThrows(() => readTable(fixture("all-missing.csv"), { label: "label" }), SchemaError, [
      "all missing",
      "3 of 3",
      'column "b"',
      "all-missing.csv",
    ]);
  });

  it("names a column that would hide a nodejs-polars DataFrame member", () => {
    // polars frames return a column for any property of its name: a "height" column hides df.height.
    assertThrows(() => readTable(fixture("reserved-name.csv"), { label: null }), SchemaError, [
      '"height"',
      "DataFrame member",
      "reserved-name.csv",
      "line 1",
    ]);
  });

  it("rejects a bad separator and a bad label argument", () => {
    assert.throws(() => readTable(fixture("tab.tsv"), { separator: "ab" }), RangeError, "two-character separator");
    assert.throws(
      () => readTable(fixture("tab.tsv"), { label: 3 as unknown as string }),
      TypeError,
      "numeric label name",
    );
  });
});
