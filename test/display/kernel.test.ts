import assert from "node:assert/strict";
import { displayChannel, publish } from "../../src/display/kernel";

// Stand-ins for the modules a running tslab kernel has in require.cache.
const JUPYTER = "/fake/node_modules/tslab/dist/jupyter.js";
const PUBLIC = "/fake/node_modules/tslab/dist/public.js";

function fakeModule(file: string, exports: unknown): void {
  require.cache[file] = { id: file, filename: file, loaded: true, exports } as NodeJS.Module;
}

function captureStdout(fn: () => void): string {
  const write = process.stdout.write;
  let out = "";
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe("publish", () => {
  afterEach(() => {
    delete require.cache[JUPYTER];
    delete require.cache[PUBLIC];
  });

  it("prints text/plain outside a kernel", () => {
    assert.equal(displayChannel(), "text");
    assert.equal(
      captureStdout(() => publish({ "text/plain": "hello", "text/html": "<b>hello</b>" })),
      "hello\n",
    );
  });

  it("sends the whole bundle, objects included, through tslab's writer, with display ids for updates", () => {
    const sent: Array<[unknown, boolean]> = [];
    fakeModule(JUPYTER, { lastWriteDisplayData: (msg: unknown, update: boolean) => sent.push([msg, update]) });
    assert.equal(displayChannel(), "bundle");
    const fig = { data: [{ y: [1] }] };
    publish({ "text/plain": "fig", "application/vnd.plotly.v1+json": fig });
    publish({ "text/plain": "50%" }, { displayId: "bar-1" });
    publish({ "text/plain": "100%" }, { displayId: "bar-1", update: true });
    assert.deepEqual(sent, [
      [{ data: { "text/plain": "fig", "application/vnd.plotly.v1+json": fig }, metadata: {}, transient: {} }, false],
      [{ data: { "text/plain": "50%" }, metadata: {}, transient: { display_id: "bar-1" } }, false],
      [{ data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "bar-1" } }, true],
    ]);
  });

  it("falls back to tslab's public API with one warning when the writer is gone", () => {
    const raw: Array<[string, unknown]> = [];
    fakeModule(JUPYTER, { lastWriteDisplayData: null });
    fakeModule(PUBLIC, { display: { raw: (mime: string, data: unknown) => raw.push([mime, data]) } });
    assert.equal(displayChannel(), "public");
    const out = captureStdout(() => {
      publish({ "text/plain": "t", "text/html": "<i>t</i>" });
      publish({ "text/plain": "only text" });
    });
    assert.deepEqual(
      raw,
      [
        ["text/html", "<i>t</i>"],
        ["text/plain", "only text"],
      ],
      "best single MIME type each time",
    );
    assert.equal(out.split("\n").filter(Boolean).length, 1, "warns once");
    assert.match(out, /^ml-dataprep-ts: this tslab has no bundle writer/);
  });
});
