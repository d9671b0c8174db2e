import assert from "node:assert/strict";
import * as ts from "typescript";
import * as path from "node:path";
import { expandShorthand, ShorthandTs } from "../../src/display/shorthand";
import { codeCells, fixture, readNotebook, runNotebooks, stdoutOf } from "../helpers/notebooks";

const api = ts as unknown as ShorthandTs;

describe("expandShorthand", () => {
  it("spells out shorthand properties and leaves everything else as written", () => {
    assert.equal(expandShorthand("f({ label, positive: p })", api), "f({ label: label, positive: p })");
    assert.equal(expandShorthand("({ a, b = 5 } = o)", api), "({ a: a, b: b = 5 } = o)");
    assert.equal(
      expandShorthand("const { a, b } = o; const s = `{ x }`; // { y }", api),
      "const { a, b } = o; const s = `{ x }`; // { y }",
    );
    assert.equal(
      expandShorthand("const x = [1, 2].map((v) => ({ v }));", api),
      "const x = [1, 2].map((v) => ({ v: v }));",
    );
  });
});

describe("the kernel with shorthand properties", () => {
  it("runs `{ label }` when label comes from an earlier cell", () => {
    const r = runNotebooks([fixture("notebooks", "shorthand.ipynb")]);
    assert.equal(r.status, 0, r.stderr);
    const cells = codeCells(readNotebook(path.join(r.outDir, "shorthand.ipynb")));
    assert.equal(stdoutOf(cells[1]), '{"label":"Churn?","n":3,"extra":true}\n');
    assert.equal(stdoutOf(cells[2]), "1 5\n");
  });
});
