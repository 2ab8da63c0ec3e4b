import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the tests' PostgreSQL, so a test can take "the database" away from one app
 * without stopping the server the other tests (and engineers) use. `cut()` drops every connection
 * and refuses new ones; `restore()` accepts again; `hold()` / `release()` stall the traffic (the
 * database "hangs") and let it flow again.
 */
export interface TcpProxy {
  /** The database URL through the proxy (same user, password and database as the target). */
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** Where a postgres URL points: a TCP host and port, or a Unix socket (`?host=/socket/folder`). */
function targetOf(u: URL): { host: string; port: number } | { path: string } {
  const socketDir = u.searchParams.get('host');
  const port = Number(u.port || 5432);
  if (socketDir) return { path: `${socketDir}/.s.PGSQL.${port}` };
  return { host: u.hostname, port };
}

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const to = targetOf(target);
  const sockets = new Set<Socket>();
  let held = false;
  let server: Server | undefined;
  let port = 0;

  /** Paused sends, flushed in order by release(). */
  let waiting: (() => void)[] = [];
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const forward = (from: Socket, dest: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (held) waiting.push(() => dest.write(chunk));
      else dest.write(chunk);
    });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(to);
        track(client);
        track(upstream);
        forward(client, upstream);
        forward(upstream, client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        if (address && typeof address === 'object') port = address.port;
        server = s;
        resolve();
      });
    });
  await listen();

  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  url.searchParams.delete('host');

  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      waiting = [];
      for (const socket of sockets) socket.destroy();
      if (!s) return resolve();
      s.close(() => resolve());
    });

  return {
    url: url.toString(),
    cut: stop,
    restore: () => (server ? Promise.resolve() : listen()),
    hold() {
      held = true;
    },
    release() {
      held = false;
      const sends = waiting;
      waiting = [];
      sends.forEach((send) => send());
    },
    close: stop,
  };
}
