/**
 * One helper thread for CPU-bound typed-array work, used synchronously: `startOnHelper` posts a job
 * and returns at once, the caller does its own share, and `result()` blocks (Atomics.wait) until
 * the helper is done. Profiling a million rows keeps both cores busy this way while its API stays
 * synchronous. Typed arrays backed by a SharedArrayBuffer are shared (`toShared` makes one), others
 * are copied; typed arrays in a job's result are transferred back without a copy.
 *
 * Jobs are plain functions exported by a module the helper `require`s; such modules must not load
 * native addons (nodejs-polars): they take and return typed arrays. With one core, with
 * MLDP_THREADS=1, or when no thread can be started, jobs run on the calling thread at `result()`.
 */
import * as os from "node:os";
import * as path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/** A job started by {@link startOnHelper}. */
export interface Pending<T> {
  /** Wait for the job and return its value (throws what the job threw). */
  result(): T;
}

/** What the helper sends back for one job. */
export interface HelperReply {
  value?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** Error classes rebuilt as themselves when a job throws one (others arrive as Error with their name). */
const BUILT_IN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  RangeError,
  TypeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Longest wait for one job before it is reported as stuck (a helper killed without running its exit handler). */
const JOB_TIMEOUT_MS = 10 * 60 * 1000;

let helper: Worker | null | undefined; // undefined: not started yet; null: none (run jobs here)

function getHelper(): Worker | null {
  if (helper !== undefined) return helper;
  helper = null;
  if (process.env.MLDP_THREADS === "1" || os.availableParallelism() < 2) return helper;
  try {
    helper = new Worker(path.join(__dirname, "helper-thread-main.js"));
    helper.unref(); // an idle helper does not keep the process alive
    // A helper that died (seen once this thread's event loop runs again) is not used for later jobs.
    helper.on("error", () => (helper = null));
    helper.on("exit", () => (helper = null));
  } catch {
    helper = null;
  }
  return helper;
}

/** Whether jobs run on a second thread (false: they run on the calling thread). */
export function helperAvailable(): boolean {
  return getHelper() !== null;
}

/**
 * Start `require(modulePath)[fn](...args)` on the helper thread.
 * @example const pending = startOnHelper<SortedColumn[]>(require.resolve("./rank"), "_sortColumns", [columns, true]);
 * // … work on this thread …
 * const sorted = pending.result();
 */
export function startOnHelper<T>(modulePath: string, fn: string, args: unknown[]): Pending<T> {
  // The module is named at run time (the helper thread loads the same file), so a static import cannot do.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runHere = (): T => (require(modulePath) as Record<string, (...a: unknown[]) => T>)[fn](...args);
  const worker = getHelper();
  if (worker === null) return { result: runHere };
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    worker.postMessage({ modulePath, fn, args, port: port2, done }, [port2]);
  } catch {
    port1.close();
    return { result: runHere }; // args that cannot be cloned
  }
  let taken = false;
  return {
    result(): T {
      if (taken) throw new Error(`helper job ${fn} result was already taken`);
      taken = true;
      const waited = Atomics.wait(done, 0, 0, JOB_TIMEOUT_MS);
      const reply = receiveMessageOnPort(port1)?.message as HelperReply | undefined;
      port1.close();
      if (waited === "timed-out" || reply === undefined) {
        throw new Error(
          `helper thread job ${fn} did not finish: ${waited === "timed-out" ? `no reply in ${JOB_TIMEOUT_MS / 1000} s` : "no reply"} (${path.basename(modulePath)})`,
        );
      }
      if (reply.error) {
        const Class = BUILT_IN_ERRORS[reply.error.name] ?? Error;
        throw Object.assign(new Class(reply.error.message), { name: reply.error.name, stack: reply.error.stack });
      }
      return reply.value as T;
    },
  };
}

/**
 * A copy of a typed array in a SharedArrayBuffer, so that a helper job reads it without a copy.
 * @example toShared(Float64Array.of(1, 2)).buffer instanceof SharedArrayBuffer // true
 */
export function toShared<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}
