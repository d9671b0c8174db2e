/**
 * The helper thread of `helper-thread.ts`: runs each job, posts the reply on the job's own port
 * (typed arrays transferred, not copied), then wakes the waiting caller through the job's flag.
 */
import { parentPort, type MessagePort } from "node:worker_threads";
import type { HelperReply } from "./helper-thread";

interface Job {
  modulePath: string;
  fn: string;
  args: unknown[];
  port: MessagePort;
  done: Int32Array;
}

/** The non-shared buffers under typed arrays in a value (arrays and plain objects walked). */
function transferables(value: unknown, out = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) transferables(v, out);
  }
  return [...out];
}

/** The job running now: if the thread exits during it, the caller is told instead of waiting. */
let current: Job | null = null;

process.on("exit", (code) => {
  if (current === null) return;
  finish(current, {
    error: { name: "Error", message: `helper thread exited (code ${code}) during job ${current.fn}` },
  });
});

/** Send the reply, then wake the caller waiting on the job's flag. */
function finish(job: Job, reply: HelperReply): void {
  try {
    job.port.postMessage(reply, reply.value === undefined ? [] : transferables(reply.value));
  } catch (e) {
    job.port.postMessage({
      error: { name: "Error", message: `helper job ${job.fn} reply could not be sent: ${(e as Error).message}` },
    });
  }
  job.port.close();
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
}

parentPort!.on("message", (job: Job) => {
  const { modulePath, fn, args } = job;
  current = job;
  let reply: HelperReply;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the caller
    const value = (require(modulePath) as Record<string, (...a: unknown[]) => unknown>)[fn](...args);
    reply = { value };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { error: { name: err.name, message: err.message, stack: err.stack } };
  }
  current = null;
  finish(job, reply);
});
