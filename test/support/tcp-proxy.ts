/**
 * A TCP proxy in front of the shared Postgres, so a test can make the database unreachable for its bots without
 * touching the server other tests use: `cut` drops every connection and refuses new ones until `restore`;
 * `loseReplyTo` lets one message reach Postgres (which does it) and drops the connection before its reply arrives,
 * the gap a retry must not double.
 * `upstreamPorts` names the proxy's connections as Postgres sees them (pg_stat_activity.client_port), so a test can
 * `pg_terminate_backend` exactly its bots' connections and none of the other tests'.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `url` (a postgres:// URL to the target) rewritten to go through the proxy. */
  via(url: string): string;
  /** Local ports of the proxy's live connections to the target. */
  upstreamPorts(): number[];
  /** Postgres is gone for the proxy's clients: connections dropped, new ones closed at once. */
  cut(): void;
  restore(): void;
  /**
   * The next client bytes matching `match` are passed on; once the target has answered them, the client's connection
   * is dropped without the answer. Resolves when that has happened.
   */
  loseReplyTo(match: (clientBytes: Buffer) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let cut = false;
  let rule: { match: (bytes: Buffer) => boolean; done: () => void } | undefined;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    let losing: (() => void) | undefined;
    client.on('data', (bytes: Buffer) => {
      if (rule?.match(bytes)) {
        losing = rule.done;
        rule = undefined;
      }
      upstream.write(bytes);
    });
    upstream.on('data', (bytes: Buffer) => {
      if (!losing) return void client.write(bytes);
      const done = losing;
      losing = undefined;
      end();
      done();
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dropAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    via(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    upstreamPorts: () => [...pairs].flatMap(({ upstream }) => (upstream.localPort ? [upstream.localPort] : [])),
    cut() {
      cut = true;
      dropAll();
    },
    restore() {
      cut = false;
    },
    loseReplyTo: (match) => new Promise((resolve) => (rule = { match, done: resolve })),
    close: () =>
      new Promise((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

/** Client bytes carrying a statement that starts with `prefix` (node-postgres sends its text in Parse or Query). */
export const carries = (prefix: string) => (bytes: Buffer) => bytes.includes(prefix);
