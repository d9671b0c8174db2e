import assert from "node:assert/strict";
import { isDisplayable, JUPYTER_DISPLAY, withDisplay, type MediaBundle } from "../../src/util/media-bundle";
import { toBundle } from "../../src/display/show";

describe("withDisplay", () => {
  const bundle = (): MediaBundle => ({ "text/html": "<b>3 rows</b>", "text/plain": "3 rows" });

  it("returns the same object, now displayable, with the bundle as its display", () => {
    const data = { rows: 3, names: ["a", "b"] };
    const shown = withDisplay(data, bundle);
    assert.equal(shown, data, "same object, not a copy");
    assert.ok(isDisplayable(shown), "displayable");
    assert.deepEqual(shown[JUPYTER_DISPLAY](), { "text/html": "<b>3 rows</b>", "text/plain": "3 rows" });
    assert.deepEqual(toBundle(shown), { "text/html": "<b>3 rows</b>", "text/plain": "3 rows" }, "show() uses it");
  });

  it("leaves JSON.stringify, Object.keys and spreading as they were (the display is not enumerable)", () => {
    const before = JSON.stringify({ rows: 3, names: ["a", "b"] });
    const shown = withDisplay({ rows: 3, names: ["a", "b"] }, bundle);
    assert.equal(JSON.stringify(shown), before);
    assert.deepEqual(Object.keys(shown), ["rows", "names"]);
    assert.equal(Object.getOwnPropertyDescriptor(shown, JUPYTER_DISPLAY)?.enumerable, false, "not enumerable");
    assert.equal(JUPYTER_DISPLAY in { ...shown }, false, "a spread copy carries only the data");
  });

  it("calls the bundle each time it is shown, so it sees later changes to the object", () => {
    const data = { rows: 3 };
    const shown = withDisplay(data, () => ({ "text/plain": `${data.rows} rows` }));
    data.rows = 5;
    assert.equal(shown[JUPYTER_DISPLAY]()["text/plain"], "5 rows");
  });
});
