import assert from "node:assert/strict";
import { progress, progressBar, renderProgress } from "../../src/display/progress";

describe("renderProgress", () => {
  it("shows count, percentage, elapsed, ETA and rate", () => {
    const b = renderProgress(40, 100, 4, "resize", "img");
    assert.equal(b["text/plain"], `resize: |${"█".repeat(12)}${" ".repeat(18)}| 40% 40/100 [00:04<00:06, 10.0 img/s]`);
    assert.match(b["text/html"] as string, /width:40\.0%/);
  });

  it("shows bytes in human units and works without a total", () => {
    assert.match(
      renderProgress(2_500_000, 5_000_000, 2, "churn.txt", "B")["text/plain"],
      /2\.5 MB\/5\.0 MB \[00:02<00:02, 1\.3 MB\/s\]/,
    );
    assert.equal(renderProgress(7, undefined, 0, "", "it")["text/plain"], "7 [00:00, 0.00 it/s]");
  });

  it("escapes the label in HTML", () => {
    assert.ok(!(renderProgress(1, 2, 1, "<b>", "it")["text/html"] as string).includes("<b>"));
  });
});

describe("progress", () => {
  it("yields every item and counts them", async () => {
    const seen: number[] = [];
    for await (const x of progress([1, 2, 3], { label: "t" })) seen.push(x);
    assert.deepEqual(seen, [1, 2, 3]);
    const bar = progressBar({ total: 2 });
    bar.update();
    bar.update();
    bar.close();
    assert.equal(bar.done, 2);
  });
});
