/**
 * The Bolt app: its receiver (HTTP with a signing secret, or Socket Mode with an app token; both serve the operations
 * endpoints of src/app/ops.ts on PORT),
 * the global middleware, and one listener per input the features own (src/app/registry.ts). No I/O here: the caller
 * starts it.
 */
import { App, type BlockButtonAction, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { BotLogger } from '../logger.js';
import type { AccessPolicy } from '../slack/access.js';
import type { Owned } from '../slack/envelope.js';
import { outOfDateView } from '../slack/messages.js';
import { guardSlackRequests } from '../slack/request-guard.js';
import { guardSocketMessages } from '../slack/socket-guard.js';
import type { Store } from '../store/store.js';
import { registerLmaCommand } from './lma-command.js';
import { registerMessages } from './messages.js';
import {
  ackFirst,
  allowedOnly,
  type InFlight,
  inLogContext,
  knownValueOnly,
  replyOnFailure,
  TELL,
  tellWhereTheyActed,
} from './middleware.js';
import type { OpsRoute } from './ops.js';
import type { Registry } from './registry.js';
import type { BotRuntime } from './runtime.js';
import { firstUnlessStoreDown } from './store-outage.js';

export interface SlackConnection {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set. */
  appToken?: string;
  /** Web API base URL override (a proxy, the local sandbox, tests). */
  apiUrl?: string;
}

export interface ReceiverDeps {
  slack: SlackConnection;
  logger: BotLogger;
  /** /healthz, /readyz, /metrics. */
  routes: OpsRoute[];
  /** Port for Socket Mode's server of those routes (HTTP mode listens where `start` is told). */
  port?: number;
  /** Where a replayed request (same timestamp and signature) is recognised, across replicas. */
  store: Pick<Store, 'events'>;
  clock: () => Date;
}

export interface BoltDeps {
  slack: SlackConnection;
  receiver: Receiver;
  registry: Registry;
  runtime: Pick<BotRuntime, 'logger' | 'store' | 'clock' | 'parseContext' | 'metrics'>;
  access: AccessPolicy;
  inFlight: InFlight;
}

const EVENTS_PATH = '/slack/events';
/**
 * What createBoltApp listens to: every click and message shortcut (the unowned ones are answered as out of date),
 * modals, /lma.
 */
const OWNED: Owned = {
  interactions: new Set(['block_actions', 'message_action', 'view_submission']),
  commands: new Set(['/lma']),
};
/** Slack's largest payloads (a message event with blocks) are far below this. */
const BODY_LIMIT = 1024 * 1024;

export function createReceiver(deps: ReceiverDeps): Receiver {
  if (deps.slack.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: deps.slack.appToken,
      logger: deps.logger,
      customRoutes: deps.routes,
      // SLACK_API_URL reaches Socket Mode's own client too (apps.connections.open), as it does the app's.
      installerOptions: {
        port: deps.port,
        clientOptions: deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : undefined,
      },
    });
    // The same shapes as over HTTP: only well-formed payloads the app owns reach Bolt, the rest are acknowledged.
    guardSocketMessages(receiver.client, { owned: OWNED, maxBytes: BODY_LIMIT, logger: deps.logger });
    return receiver;
  }
  const receiver = new HTTPReceiver({
    signingSecret: deps.slack.signingSecret,
    endpoints: EVENTS_PATH,
    customRoutes: deps.routes,
    logger: deps.logger,
    // Slack expects a 200 within 3 s; listeners ack first and work after.
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 2900,
    bodyLimit: BODY_LIMIT,
    // The guard below has checked the signature and its window of every request Bolt receives (it routes POSTs to
    // EVENTS_PATH as Bolt does): a second HMAC of each body on the ack path would check nothing more.
    signatureVerification: false,
  });
  // Only signed, fresh, first deliveries shaped like Slack's reach Bolt, which crashes on some others.
  receiver.requestListener = guardSlackRequests(receiver.requestListener, {
    path: EVENTS_PATH,
    bodyLimit: BODY_LIMIT,
    signingSecret: deps.slack.signingSecret,
    owned: OWNED,
    firstDelivery: (key) =>
      firstUnlessStoreDown(deps.store.events.claim(key, deps.clock()), 'A Slack request', deps.logger),
    logger: deps.logger,
  });
  return receiver;
}

export function createBoltApp(deps: BoltDeps): App {
  const { registry, runtime, access } = deps;
  const { logger } = runtime;
  const app = new App({
    token: deps.slack.botToken,
    receiver: deps.receiver,
    logger,
    // Bolt resets its logger to INFO unless told the level: keep the configured one (LOG_LEVEL=debug).
    logLevel: logger.getLevel(),
    // Nothing reads context.conversation: Bolt's default store would look each conversation up (and build an Error
    // for every one it has not seen) before each request is acked.
    convoStore: false,
    clientOptions: deps.slack.apiUrl ? { slackApiUrl: deps.slack.apiUrl } : undefined,
  });
  app.error(async (error) => {
    logger.error('Unhandled error in a listener:', error);
  });
  app.use(inLogContext(logger));
  app.use(deps.inFlight.middleware);
  app.use(replyOnFailure(logger));

  registerLmaCommand(app, { registry, parseContext: runtime.parseContext, access, logger });
  for (const { id, handle } of registry.actions) {
    const matcher = typeof id === 'string' ? id : new RegExp(`^${escapeRegExp(id.prefix)}`);
    app.action<BlockButtonAction>(
      { type: 'block_actions', action_id: matcher },
      ackFirst,
      tellWhereTheyActed(logger),
      knownValueOnly(),
      allowedOnly(access, logger),
      async ({ body, action, respond, client, context }) => {
        const tell = TELL.get(context) ?? (async () => logger.warn(`The button ${id} has nowhere to answer.`));
        await handle({ body, action, respond, client, tell, ask: registry.ask });
      },
    );
  }
  // A button no feature owns (one from an older version) is acknowledged and answered, not left spinning.
  const owned = (actionId: string) =>
    registry.actions.some(({ id }) => (typeof id === 'string' ? actionId === id : actionId.startsWith(id.prefix)));
  app.action<BlockButtonAction>(
    { type: 'block_actions' },
    async ({ action, next }) => {
      if (!owned(action.action_id)) await next();
    },
    ackFirst,
    tellWhereTheyActed(logger),
    async ({ context }) => TELL.get(context)?.(outOfDateView()),
  );
  // No feature declares a message shortcut: one arriving is from an older manifest, and told so rather than ignored.
  app.shortcut({ type: 'message_action' }, ackFirst, tellWhereTheyActed(logger), async ({ context }) =>
    TELL.get(context)?.(outOfDateView('shortcut')),
  );
  for (const { callbackId, handle } of registry.views)
    app.view(callbackId, async ({ body, view, ack, client }) => handle({ body, view, ack, client }));
  for (const { type, handle } of registry.events)
    app.event(type, allowedOnly(access, logger), async ({ event, client }) => handle({ event, client }));
  registerMessages(app, {
    registry,
    store: runtime.store,
    clock: runtime.clock,
    logger,
    access,
    metrics: runtime.metrics,
  });
  return app;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
