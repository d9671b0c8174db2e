import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJsonBytes, readJsonFile } from "../../src/image/json-stream";
import { FormatError } from "../../src/util/errors";
import { mulberry32 } from "../../src/util/prng";
import { generatedDataset, ONE_IMAGE, SMALL, tempDir } from "./pycocotools";

describe("parseJsonBytes / readJsonFile", () => {
  it("equal JSON.parse on the real COCO subsets, with chunk boundaries moved through 53 chunk sizes", () => {
    for (const file of [SMALL, ONE_IMAGE]) {
      const bytes = fs.readFileSync(file);
      const expected = JSON.parse(bytes.toString("utf8"));
      for (let chunk = 16; chunk < 16 + 53; chunk++) {
        assert.deepEqual(
          parseJsonBytes(bytes, { chunkSize: chunk }),
          expected,
          `${path.basename(file)}, chunk ${chunk}`,
        );
      }
      assert.deepEqual(readJsonFile(file, { chunkSize: 1000 }), expected, `${path.basename(file)} read from disk`);
    }
  });

  it("equal JSON.parse on every JSON form: nesting, escapes, UTF-8, blanks, literals, top-level scalars", () => {
    const docs = [
      "[]",
      "{}",
      ' \t\r\n{ "a" : [ 1 , -2.5e-3 , "x\\"y\\\\z\\u00e9\\n" ] , "b" : { "c" : [ [ ] , { } ] } , "d":true,"e":false,"f":null } ',
      '["été", "日本", "\\ud83d\\ude00", "😀"]',
      "-0",
      '"just a string"',
      '[[[[[1]]]],[2,[3,[4]]],{"k":[5,{"l":6}]}]',
      '[1, "two", 3]', // a numeric run that turns generic
      JSON.stringify(generatedDataset(3)),
    ];
    for (const doc of docs) {
      for (const chunk of [16, 17, 23, 64, 1 << 20]) {
        assert.deepEqual(
          parseJsonBytes(Buffer.from(doc), { chunkSize: chunk }),
          JSON.parse(doc),
          `${doc.slice(0, 40)}, chunk ${chunk}`,
        );
      }
    }
  });

  it("parses numbers to the same doubles as JSON.parse (fast path and Number() path)", () => {
    const rand = mulberry32(9);
    const numbers: string[] = [
      "0",
      "-0",
      "0.0",
      "1e21",
      "1E-7",
      "123456789012345",
      "1234567890123456",
      "9007199254740993",
    ];
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + Math.floor(rand() * 19);
      let s = String(Math.floor(rand() * 10 ** Math.min(digits, 15)));
      if (rand() < 0.7) s += "." + String(Math.floor(rand() * 10 ** (1 + Math.floor(rand() * 17)))).padStart(2, "0");
      if (rand() < 0.1) s += `e${rand() < 0.5 ? "-" : "+"}${Math.floor(rand() * 30)}`;
      numbers.push(rand() < 0.3 ? `-${s}` : s);
      numbers.push(String(rand() * 10 ** Math.floor(rand() * 8)));
    }
    const doc = `[${numbers.join(",")}]`;
    const ours = parseJsonBytes(Buffer.from(doc), { chunkSize: 4096 }) as number[];
    const expected = JSON.parse(doc) as number[];
    ours.forEach((x, i) => assert.ok(Object.is(x, expected[i]), `${numbers[i]}: ${x} vs ${expected[i]}`));
  });

  it("grows its buffer for one element bigger than a chunk", () => {
    const big = { annotations: [{ segmentation: [Array.from({ length: 5000 }, (_, i) => i / 3)] }] };
    assert.deepEqual(parseJsonBytes(Buffer.from(JSON.stringify(big)), { chunkSize: 64 }), big);
  });

  it("calls onElement with each element of the streamed arrays, in order", () => {
    const seen: string[] = [];
    parseJsonBytes(Buffer.from('{"info": {"a": [1]}, "images": [{"id": 1}, {"id": 2}], "x": [3]}'), {
      chunkSize: 16,
      onElement: (key, index, value) => seen.push(`${key}[${index}]=${JSON.stringify(value)}`),
    });
    assert.deepEqual(seen, ['images[0]={"id":1}', 'images[1]={"id":2}', "x[0]=3"]);
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const value = parseJsonBytes(Buffer.from('{"a": {"__proto__": {"polluted": 1}}}')) as any;
    assert.equal(Object.getPrototypeOf(value.a), Object.prototype, "prototype unchanged");
    assert.deepEqual(Object.keys(value.a), ["__proto__"]);
    assert.equal(({} as any).polluted, undefined);
  });

  it("skips a UTF-8 byte order mark", () => {
    assert.deepEqual(parseJsonBytes(Buffer.from("\ufeff[1]")), [1]);
  });

  it("reports malformed JSON as a FormatError with the byte and the record", () => {
    const cases: [string, RegExp][] = [
      ["[1,]", /unexpected "\]" \(expected a value\) in t\.json, byte 3/],
      ['{"a":1,}', /expected a key string or "\}"\) in t\.json, byte 7/],
      ["[01]", /unexpected "1" \(expected "," or "\]"\) in t\.json, byte 2/],
      ["[1.]", /expected a digit after "\."/],
      ['{"a" 1}', /unexpected "1" \(expected ":"\)/],
      ['"abc', /the file ends early/],
      ["tru", /the file ends early/],
      ["[1]x", /unexpected data after the JSON value/],
      [
        '{"images": [{"id": 1}, {"id": 2,]}',
        /unexpected "\]" \(expected a key string\) in t\.json, byte 32, in images\[1\]/,
      ],
      ['["a\u0001"]', /control character byte 0x01 in a string/],
      ['["\\x"]', /bad escape in the string/],
      ["[" + "[".repeat(2000) + "]".repeat(2001), /nesting deeper than 1000/],
    ];
    for (const [doc, message] of cases) {
      assert.throws(
        () => parseJsonBytes(Buffer.from(doc), { chunkSize: 16, name: "t.json" }),
        (e: Error) => e instanceof FormatError && message.test(e.message),
        doc.slice(0, 30),
      );
    }
  });

  it("reports progress up to the file size", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.json");
    fs.writeFileSync(file, JSON.stringify({ images: Array.from({ length: 500 }, (_, id) => ({ id })) }));
    const seen: number[] = [];
    readJsonFile(file, { chunkSize: 1024, onProgress: (read, total) => seen.push(read / total) });
    assert.equal(seen.at(-1), 1, "ends at 100%");
    assert.ok(seen.length > 5, "several chunks");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
