import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { installTslabHook } from "../../src/display/tslab-hook";

type Logger = { log: (v: unknown) => void; error: (v: unknown) => void };

describe("installTslabHook", () => {
  it("finds createExecutor(rootDir, convs, console) in the pinned tslab", () => {
    // A copy of the module object, so the real tslab module stays untouched for other tests.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab ships no types for its executor
    const real = { ...require("tslab/dist/executor") };
    assert.deepEqual(installTslabHook(real), { ok: true });
    assert.equal((real.createExecutor as { mldpHooked?: boolean }).mldpHooked, true);
  });

  it("routes rich last expressions to the display layer and plain ones to tslab's printer", () => {
    let given: Logger | undefined;
    const mod: { createExecutor?: unknown } = {
      createExecutor: (_root: string, _convs: unknown, console: Logger) => {
        given = console;
        return "executor";
      },
    };
    assert.equal(installTslabHook(mod).ok, true);
    const printed: unknown[] = [];
    const errors: unknown[] = [];
    const executor = (mod.createExecutor as (r: string, c: unknown, l: Logger) => unknown)(
      "/",
      {},
      { log: (v) => printed.push(v), error: (v) => errors.push(v) },
    );
    assert.equal(executor, "executor");
    given!.log(7);
    given!.log("text");
    const write = process.stdout.write;
    let out = "";
    process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
    try {
      given!.log(pl.DataFrame({ a: [1] })); // outside a kernel the display layer prints text/plain
    } finally {
      process.stdout.write = write;
    }
    assert.deepEqual(printed, [7, "text"], "plain values go to tslab's own printer");
    assert.match(out, /shape: \(1, 1\)/, "the DataFrame went through the display layer");
    given!.error("boom");
    assert.deepEqual(errors, ["boom"], "errors still go to tslab's error printer");
  });

  it("is idempotent and reports a tslab without the expected function", () => {
    const mod = { createExecutor: (_a: string, _b: unknown, _c: unknown) => undefined };
    installTslabHook(mod);
    const once = mod.createExecutor;
    assert.deepEqual(installTslabHook(mod), { ok: true });
    assert.equal(mod.createExecutor, once, "not wrapped twice");
    const status = installTslabHook({});
    assert.equal(status.ok, false);
    assert.match(status.reason!, /createExecutor\(rootDir, convs, console\) was not found/);
  });
});
