/**
 * Test fixtures for the io layer: a local HTTP server with per-path handlers and a request log, a Range-aware
 * file handler, deterministic bytes, and tar.gz / zip builders that write any entry, malicious ones included
 * (the libraries refuse to create those, so the headers are written by hand).
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";

/** One request as the server saw it. */
export interface LoggedRequest {
  path: string;
  range?: string;
  ifRange?: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

/** A server on 127.0.0.1:0; `route` sets a path's handler, `log` records every request. */
export interface TestServer {
  base: string;
  log: LoggedRequest[];
  route(path: string, handler: Handler): void;
  hits(path: string): LoggedRequest[];
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const log: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    log.push({ path, range: req.headers.range, ifRange: req.headers["if-range"] as string | undefined });
    const handler = routes.get(path);
    if (handler) handler(req, res, log.filter((r) => r.path === path).length);
    else res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    log,
    route: (path, handler) => routes.set(path, handler),
    hits: (path) => log.filter((r) => r.path === path),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `n` deterministic pseudo-random bytes (sha256 chained from `seed`). */
export function bytesOf(n: number, seed = "io"): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash("sha256").update(seed).digest();
  for (let i = 0; i < n; i += 32) {
    block.copy(out, i, 0, Math.min(32, n - i));
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
export const md5 = (b: Buffer): string => createHash("md5").update(b).digest("hex");

/** Options of {@link serveFile}. */
export interface ServeOptions {
  etag?: string;
  lastModified?: string;
  /** Answer Range requests (206/416). Default true. */
  ranges?: boolean;
  /** Send only this many body bytes of the response, then close the connection. */
  cutAfter?: number;
  /** With cutAfter: reset the connection (destroy) instead of closing it; bytes in flight may be lost. */
  reset?: boolean;
  /** Send this many body bytes, then go silent (the client's timeout must fire). */
  stallAfter?: number;
}

/**
 * Serve `body` like a static file server: ETag / Last-Modified, `Range: bytes=N-` with If-Range, 206 with
 * Content-Range, 416 with `bytes *\/len` past the end; optionally cut or stall mid-body.
 */
export function serveFile(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, o: ServeOptions = {}) {
  const { etag, lastModified, ranges = true } = o;
  const headers: http.OutgoingHttpHeaders = {};
  if (etag) headers.ETag = etag;
  if (lastModified) headers["Last-Modified"] = lastModified;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const ifRange = req.headers["if-range"];
  const rangeOk = ranges && m && (ifRange === undefined || ifRange === etag || ifRange === lastModified);
  let start = 0;
  let status = 200;
  if (rangeOk) {
    start = Number(m[1]);
    if (start >= body.length) {
      res.writeHead(416, { ...headers, "Content-Range": `bytes */${body.length}` }).end();
      return;
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${body.length - 1}/${body.length}`;
  }
  const rest = body.subarray(start);
  res.writeHead(status, { ...headers, "Content-Length": rest.length });
  // end(), not destroy(): a reset could drop bytes already sent, and the tests count them.
  if (o.cutAfter !== undefined)
    res.write(rest.subarray(0, o.cutAfter), () => (o.reset ? res.socket?.destroy() : res.socket?.end()));
  else if (o.stallAfter !== undefined) res.write(rest.subarray(0, o.stallAfter));
  else res.end(rest);
}

/** An entry for {@link tarGz} / {@link zipOf}. */
export interface ArchiveEntry {
  name: string;
  data?: string | Buffer;
  /** tar: "0" file, "5" folder, "2" symlink, "1" hard link. zip: "file", "dir", "symlink". Default file. */
  type?: string;
  /** Link target (tar links; zip symlink data). */
  link?: string;
  /** zip: store the data uncompressed. Default false (deflate). */
  stored?: boolean;
}

function tarHeader(name: string, type: string, size: number, link = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write(type, 156);
  h.write(link, 157, 100, "utf8");
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** The uncompressed tar stream (ustar headers, data padded to 512, two zero blocks at the end). */
export function tarOf(entries: ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? "");
    parts.push(
      tarHeader(e.name, e.type ?? "0", data.length, e.link),
      data,
      Buffer.alloc((512 - (data.length % 512)) % 512),
    );
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const tarGz = (entries: ArchiveEntry[]): Buffer => zlib.gzipSync(tarOf(entries));

/** A zip (deflate for files, stored for the rest), made by "Unix" so the mode bits mean what they say. */
export function zipOf(entries: ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const type = e.type ?? "file";
    const name = Buffer.from(e.name, "utf8");
    const raw = Buffer.from(type === "symlink" ? (e.link ?? "") : (e.data ?? ""));
    const method = type === "file" && !e.stored ? 8 : 0;
    const stored = method === 8 ? zlib.deflateRawSync(raw) : raw;
    const crc = zlib.crc32(raw);
    const mode = type === "dir" ? 0o040755 : type === "symlink" ? 0o120777 : 0o100644;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(mode * 0x10000, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * For a describe that talks to the local server: unset `MLDP_OFFLINE` during it (restored after), so that
 * `MLDP_OFFLINE=1 npm test` still tests the network path once loaders default to the environment's choice.
 */
export function allowNetwork(): void {
  let saved: string | undefined;
  before(() => {
    saved = process.env.MLDP_OFFLINE;
    delete process.env.MLDP_OFFLINE;
  });
  after(() => {
    if (saved !== undefined) process.env.MLDP_OFFLINE = saved;
  });
}
