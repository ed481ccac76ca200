/**
 * A pass-through proxy in front of the fake Slack's Web API that can stop one call at a chosen point, so a test can
 * kill the bot while that call is in flight: before Slack has it ('hold'), or after Slack has done it but before
 * the bot hears back ('swallow').
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoppedCall {
  method: string;
  args: URLSearchParams;
}

export type StopMode = 'hold' | 'swallow';

export interface SlackProxy {
  /** Base URL for SLACK_API_URL, ending in /api/. */
  apiUrl: string;
  /** The next call matching `match` is stopped; resolves when it has been (and, for 'swallow', done by Slack). */
  stopNext(mode: StopMode, match: (call: StoppedCall) => boolean): Promise<StoppedCall>;
  close(): Promise<void>;
}

export async function startSlackProxy(target: string): Promise<SlackProxy> {
  let rule: { mode: StopMode; match: (call: StoppedCall) => boolean; stopped: (call: StoppedCall) => void } | undefined;
  const stuck = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = {
        method: (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!,
        args: new URLSearchParams(body.toString('utf8')),
      };
      const active = rule?.match(call) ? rule : undefined;
      if (active) rule = undefined;
      if (active?.mode === 'hold') {
        stuck.add(res);
        active.stopped(call);
        return;
      }
      const upstream = request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            if (active) {
              stuck.add(res);
              active.stopped(call);
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${url}/api/`,
    stopNext: (mode, match) => new Promise((resolve) => (rule = { mode, match, stopped: resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const res of stuck) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
