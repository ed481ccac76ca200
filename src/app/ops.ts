/**
 * The operations endpoints, served on PORT in every mode (HTTP and Socket Mode through Bolt's receiver, the local
 * sandbox beside its page): GET /healthz (liveness: the process serves, with the LMO connection state), GET /readyz
 * (ready: the store answers and the LMO is reachable within its timeout; 503 with the reason otherwise) and GET /metrics
 * (Prometheus text format). None of them says anything secret.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BotMetrics } from '../metrics.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface OpsRoute {
  path: string;
  method: string[];
  handler: RouteHandler;
}

export interface OpsDeps {
  /** What /healthz shows (no secrets). */
  health: () => Promise<Record<string, unknown>>;
  /** Why the bot cannot answer now, or undefined when it can. */
  notReady: () => Promise<string | undefined>;
  metrics: BotMetrics;
}

export function opsRoutes(deps: OpsDeps): OpsRoute[] {
  const get = (path: string, handler: RouteHandler): OpsRoute => ({ path, method: ['GET'], handler });
  return [
    get(
      '/healthz',
      (_req, res) =>
        void deps.health().then(
          (body) => sendJson(res, 200, body),
          () => sendJson(res, 200, { ok: false, lmo: 'unknown' }),
        ),
    ),
    get(
      '/readyz',
      (_req, res) =>
        void deps.notReady().then(
          (reason) => (reason ? sendJson(res, 503, { ready: false, reason }) : sendJson(res, 200, { ready: true })),
          () => sendJson(res, 503, { ready: false, reason: 'the readiness check itself failed; see the bot log' }),
        ),
    ),
    get(
      '/metrics',
      (_req, res) =>
        void deps.metrics.text().then(
          (text) => {
            res.writeHead(200, { 'content-type': deps.metrics.contentType });
            res.end(text);
          },
          () => sendJson(res, 500, { ok: false, error: 'metrics unavailable' }),
        ),
    ),
  ];
}

/** The routes by path, for a server that is not Bolt's (the sandbox page's). */
export function routesByPath(routes: OpsRoute[]): Record<string, RouteHandler> {
  return Object.fromEntries(routes.map((r) => [r.path, r.handler]));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
