/**
 * The kernel extension: makes a cell's last expression display through {@link displayLastExpression}.
 *
 * How it hooks tslab 1.0.22: `dist/main.js` builds the executor with
 * `executor.createExecutor(rootDir, converters, {log, error})` and the executor prints a cell's last
 * expression with that third argument's `log` (and nothing else with it). kernel/launch.js calls
 * {@link installTslabHook} before starting the kernel; it wraps `createExecutor` so that `log` is
 * ours. If a tslab release changes that shape, the hook reports why it could not install, the
 * launcher writes that to the server log, and the kernel runs as stock tslab (last expressions as
 * text; `show()` still works).
 *
 * It also wraps the executor's `execute(source)` to expand object shorthand (see shorthand.ts), when
 * given tslab's TypeScript.
 */
import { displayLastExpression } from "./show";
import { expandShorthand, ShorthandTs } from "./shorthand";

type Logger = { log: (...args: unknown[]) => void; error: (...args: unknown[]) => void };
type CreateExecutor = (rootDir: string, convs: unknown, console: Logger) => unknown;

/** Result of {@link installTslabHook}. */
export interface HookStatus {
  ok: boolean;
  reason?: string;
}

/**
 * Wrap tslab's `createExecutor` (from `tslab/dist/executor.js`) so last expressions render richly.
 * @example installTslabHook(require("tslab/dist/executor"))
 */
export function installTslabHook(executorModule: { createExecutor?: unknown }, ts?: ShorthandTs): HookStatus {
  const original = executorModule.createExecutor;
  if (typeof original !== "function" || original.length !== 3) {
    return {
      ok: false,
      reason:
        "tslab's executor.createExecutor(rootDir, convs, console) was not found; last expressions will print as text",
    };
  }
  if ((original as { mldpHooked?: boolean }).mldpHooked) return { ok: true };
  const wrapped: CreateExecutor = (rootDir, convs, console) => {
    const log = (value: unknown) => displayLastExpression(value, (v) => console.log(v));
    const executor = (original as CreateExecutor)(rootDir, convs, { ...console, log }) as {
      execute?: (src: string) => Promise<boolean>;
    };
    const execute = executor?.execute;
    if (ts && typeof execute === "function") {
      executor.execute = (src: string) => {
        let expanded = src;
        try {
          expanded = expandShorthand(src, ts);
        } catch {
          // leave the cell as written; tslab reports its own errors
        }
        return execute.call(executor, expanded);
      };
    }
    return executor;
  };
  (wrapped as { mldpHooked?: boolean }).mldpHooked = true;
  executorModule.createExecutor = wrapped;
  return { ok: true };
}
