import assert from "node:assert/strict";
import { aucStandardError, WorkshopComparison } from "../../src/tabular/comparison-table";
import { JUPYTER_DISPLAY } from "../../src/util/media-bundle";

describe("aucStandardError", () => {
  it("is Hanley and McNeil's standard error", () => {
    // A = 0.99, 254 positives, 246 negatives: Q1 = 0.99/1.01, Q2 = 2·0.99²/1.99.
    assert.equal(aucStandardError(0.99, 254, 246).toFixed(6), "0.004457");
    assert.equal(aucStandardError(0.5, 50, 50).toFixed(6), "0.058023", "A = 0.5: sqrt((0.25 + 49·(1/3 − 1/4)·2)/2500)");
  });
});

describe("WorkshopComparison", () => {
  it("shows its rows as an HTML table with a status mark, the reason and the workshop's source, every value escaped", () => {
    const table = new WorkshopComparison("Workshop vs here: test", [
      { step: "Load", what: "rows", workshop: "5,000", here: "5,000", status: "same", why: "", source: "A.0" },
      { step: "Fit", what: "<AUC>", workshop: "0.99", here: "0.98", status: "close", why: "a & b", source: "A.6" },
    ]);
    const bundle = table[JUPYTER_DISPLAY]();
    const html = bundle["text/html"] as string;
    assert.match(html, /^<div class="mldp-workshop-comparison"><h4>Workshop vs here: test<\/h4>/);
    assert.match(html, /<td style="text-align:left">&#60;AUC&#62;<\/td>/, "escaped");
    assert.match(
      html,
      /<td title="close">≈<\/td><td style="text-align:left">a &#38; b<br><small>workshop: A\.6<\/small><\/td>/,
    );
    assert.equal(
      bundle["text/plain"],
      [
        "Workshop vs here: test",
        "Load | rows: workshop 5,000 | here 5,000 | same",
        "Fit | <AUC>: workshop 0.99 | here 0.98 | close | a & b",
      ].join("\n"),
    );
    assert.deepEqual(
      table.differences.map((r) => r.what),
      ["<AUC>"],
    );
  });
});
