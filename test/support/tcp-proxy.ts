import net from "node:net";

/**
 * A TCP relay in front of a server, so a test can cut live connections the way a network or a
 * restarting server does (no close frame: the client sees 1006), and refuse new ones for a while.
 */
export interface TcpProxy {
  url: string;
  /** connections accepted so far (HTTP and WebSocket) */
  accepted: number;
  /** destroys every open connection; with `refuse`, new ones are cut at once until `allow()` */
  drop(opts?: { refuse?: boolean }): void;
  allow(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const t = new URL(target);
  const open = new Set<net.Socket>();
  let refusing = false;
  const proxy: TcpProxy = {
    url: "",
    accepted: 0,
    drop(opts = {}) {
      refusing = !!opts.refuse;
      for (const s of open) s.destroy();
      open.clear();
    },
    allow() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    proxy.accepted++;
    const upstream = net.connect(Number(t.port), t.hostname);
    open.add(client);
    open.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", cut).on("close", cut);
    upstream.on("error", cut).on("close", cut);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
