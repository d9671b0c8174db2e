/**
 * One HTTP(S) GET with Node's own http/https, following redirects (relative Location included), with the
 * failures mapped to the project's errors: {@link NetworkError} when there is no answer (refused, DNS,
 * reset, or the caller's abort signal = our timeout), DataPrepError for a redirect loop.
 */
import * as http from "node:http";
import * as https from "node:https";
import { DataPrepError } from "../util/errors";
import { NetworkError } from "./download-errors";

/** Options for {@link httpGet}. */
export interface HttpGetOptions {
  /** Aborts the request; an abort is reported as a timeout of `timeoutMs`. */
  signal: AbortSignal;
  /** The caller's idle timer, refreshed on each redirect. */
  timer: NodeJS.Timeout;
  /** For the timeout message. */
  timeoutMs: number;
  /** Redirects followed before giving up. */
  maxRedirects: number;
}

/**
 * GET `url` with `headers`, following redirects; resolves with the final response (headers received, body
 * unread), its `url` set to the URL that answered.
 * @example const res = await httpGet(url, { Range: "bytes=100-" }, { signal, timer, timeoutMs: 3e4, maxRedirects: 5 });
 */
export async function httpGet(
  url: string,
  headers: Record<string, string>,
  o: HttpGetOptions,
): Promise<http.IncomingMessage & { url: string }> {
  let current = url;
  for (let hops = 0; ; hops++) {
    let response: http.IncomingMessage;
    try {
      response = await get(current, headers, o.signal);
    } catch (e) {
      const where = current === url ? url : `${current} (redirected from ${url})`;
      const code = (e as NodeJS.ErrnoException).code ?? "EIO";
      if (o.signal.aborted)
        throw new NetworkError(`download timed out: no answer within ${o.timeoutMs} ms: ${where}`, "ETIMEDOUT", {
          cause: e,
        });
      throw new NetworkError(`download failed: ${code === "EIO" ? (e as Error).message : code}: ${where}`, code, {
        cause: e,
      });
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hops >= o.maxRedirects)
        throw new DataPrepError(`download failed: too many redirects: ${url} (expected at most ${o.maxRedirects})`);
      current = new URL(response.headers.location, current).toString();
      o.timer.refresh();
      continue;
    }
    return Object.assign(response, { url: current });
  }
}

/** Resolve with the response (headers received) of a GET. */
function get(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = new URL(url).protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    client.get(url, { signal, headers: { "User-Agent": "ml-dataprep-ts", ...headers } }, resolve).on("error", reject);
  });
}
