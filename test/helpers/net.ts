import * as net from "node:net";

/**
 * A port on 127.0.0.1 that nothing listens on now: free for a server to take, and refusing connections
 * until one does.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
