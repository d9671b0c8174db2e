import assert from "node:assert/strict";
import { forEachLimit } from "../../src/util/for-each-limit";

/** A promise with its resolve and reject, to finish jobs in a chosen order. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("forEachLimit", () => {
  it("calls fn once per index, in index order, never more than `limit` at a time", async () => {
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    await forEachLimit(10, 3, async (i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
    });
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(most, 3);
  });

  it("starts the next index as soon as one finishes", async () => {
    const jobs = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const run = forEachLimit(4, 2, (i) => {
      started.push(i);
      return jobs[i].promise;
    });
    assert.deepEqual(started, [0, 1], "two start at once");
    jobs[1].resolve();
    await tick();
    assert.deepEqual(started, [0, 1, 2], "index 2 took index 1's place");
    jobs[0].resolve();
    jobs[2].resolve();
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3]);
    jobs[3].resolve();
    await run;
  });

  it("does nothing for count 0 and runs one at a time for limit 1", async () => {
    let calls = 0;
    await forEachLimit(0, 4, async () => void calls++);
    assert.equal(calls, 0);
    const order: string[] = [];
    await forEachLimit(3, 1, async (i) => {
      order.push(`start ${i}`);
      await tick();
      order.push(`end ${i}`);
    });
    assert.deepEqual(order, ["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
  });

  it("after a failure hands out no more work, waits for the calls in flight, then throws the first error", async () => {
    const jobs = Array.from({ length: 6 }, deferred);
    const started: number[] = [];
    const finished: number[] = [];
    const run = forEachLimit(6, 3, async (i) => {
      started.push(i);
      await jobs[i].promise;
      finished.push(i);
    });
    let settled = false;
    const outcome = run.then(
      () => assert.fail("forEachLimit resolved after a failure"),
      (e: unknown) => {
        settled = true;
        return e;
      },
    );
    jobs[1].reject(new Error("job 1 failed"));
    await tick();
    assert.deepEqual(started, [0, 1, 2], "no index handed out after the failure");
    assert.equal(settled, false, "still waiting for jobs 0 and 2");
    jobs[2].reject(new Error("job 2 failed"));
    await tick();
    assert.equal(settled, false, "still waiting for job 0");
    jobs[0].resolve();
    const error = await outcome;
    assert.deepEqual(finished, [0], "the job in flight ran to its end");
    assert.deepEqual(started, [0, 1, 2], "indexes 3-5 never started");
    assert.equal((error as Error).message, "job 1 failed", "the first error, not a later one");
  });

  it("turns a synchronous throw of fn into the rejection", async () => {
    const started: number[] = [];
    await assert.rejects(
      forEachLimit(5, 2, (i) => {
        started.push(i);
        if (i === 0) throw new TypeError("bad index 0");
        return tick().then(() => undefined);
      }),
      { name: "TypeError", message: "bad index 0" },
    );
    assert.deepEqual(started, [0], "index 0 threw before index 1 was handed out: nothing after it");
  });

  it("rejects a count or limit that is not a valid integer", async () => {
    const fn = async () => undefined;
    await assert.rejects(forEachLimit(-1, 2, fn), /forEachLimit count is invalid: -1 \(expected an integer >= 0\)/);
    await assert.rejects(forEachLimit(2.5, 2, fn), /count is invalid: 2\.5/);
    await assert.rejects(forEachLimit(3, 0, fn), /forEachLimit limit is invalid: 0 \(expected an integer >= 1\)/);
    await assert.rejects(forEachLimit(3, Number.NaN, fn), /limit is invalid: NaN/);
  });
});
