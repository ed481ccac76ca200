/**
 * createApp: a Bolt App with every listener registered. No I/O here: the caller starts it.
 * HTTP mode (signing secret) or Socket Mode (app token); both serve GET /healthz.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { AccessPolicy } from './access.js';
import type { Answerer } from './answer.js';
import { registerActions } from './listeners/actions.js';
import { type CommandHandler, registerCommands } from './listeners/commands.js';
import type { LmaRequest } from './lma/requests.js';
import type { BotLogger } from './logger.js';
import type { ParseContext } from './parse/index.js';
import { guardSlackRequests } from './request-guard.js';

export interface SlackConnection {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set. */
  appToken?: string;
  /** Web API base URL override (a proxy, the local sandbox, tests). */
  apiUrl?: string;
}

export interface AppDeps {
  slack: SlackConnection;
  answerer: Answerer;
  access: AccessPolicy;
  logger: BotLogger;
  /** Today and the known packages, for the grammar. */
  parseContext: () => ParseContext;
  /** Health of the LMO connection, for /healthz (no secrets). */
  health: () => Promise<Record<string, unknown>>;
  /** Features that own a subcommand (`install`, `digest`) register their handler here. */
  commandHandlers?: Partial<Record<LmaRequest['kind'], CommandHandler>>;
  /** Features register their own listeners (digest, install guide, thread questions). */
  features?: ((app: App) => void)[];
  /** Port for Socket Mode's health server (HTTP mode listens where `start` is told). */
  port?: number;
}

export interface BotApp {
  app: App;
  receiver: Receiver;
}

const EVENTS_PATH = '/slack/events';
/** Slack's largest payloads (a message event with blocks) are far below this. */
const BODY_LIMIT = 1024 * 1024;

export function createApp(deps: AppDeps): BotApp {
  const healthRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      void deps.health().then(
        (body) => sendJson(res, 200, body),
        () => sendJson(res, 200, { ok: false, lmo: 'unknown' }),
      );
    },
  };
  const receiver = deps.slack.appToken
    ? new SocketModeReceiver({
        appToken: deps.slack.appToken,
        logger: deps.logger,
        customRoutes: [healthRoute],
        installerOptions: { port: deps.port },
      })
    : new HTTPReceiver({
        signingSecret: deps.slack.signingSecret,
        endpoints: EVENTS_PATH,
        customRoutes: [healthRoute],
        logger: deps.logger,
        // Slack expects a 200 within 3 s; listeners ack first and work after.
        processBeforeResponse: false,
        unhandledRequestTimeoutMillis: 2900,
        bodyLimit: BODY_LIMIT,
      });
  // Bodies that are not shaped like Slack's are refused before Bolt, which crashes on some of them.
  if (receiver instanceof HTTPReceiver)
    receiver.requestListener = guardSlackRequests(receiver.requestListener, {
      path: EVENTS_PATH,
      bodyLimit: BODY_LIMIT,
    });
  const app = new App({
    token: deps.slack.botToken,
    receiver,
    logger: deps.logger,
    // Bolt resets its logger to INFO unless told the level: keep the configured one (LOG_LEVEL=debug).
    logLevel: deps.logger.getLevel(),
    clientOptions: deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : undefined,
  });
  app.error(async (error) => {
    deps.logger.error('Unhandled error in a listener:', error);
  });
  registerCommands(app, deps);
  registerActions(app, deps);
  for (const register of deps.features ?? []) register(app);
  return { app, receiver };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
