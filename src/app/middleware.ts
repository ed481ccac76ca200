/**
 * The cross-cutting concerns, each once, as Bolt middleware (see how src/app/bolt.ts, lma-command.ts and messages.ts
 * chain them). A middleware that learns something for the ones after it leaves it in Bolt's `context` through a
 * typed slot.
 */

import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, Context, Middleware, RespondFn, SlackCommandMiddlewareArgs, types } from '@slack/bolt';
import { addLogContext, type BotLogger, withLogContext } from '../logger.js';
import { type AccessPolicy, isAllowed } from '../slack/access.js';
import { refusedBlocks, type SlackView, sendWithFallback } from '../slack/blocks.js';
import { SLACK_LIMITS } from '../slack/limits.js';
import { explainFailure, outOfDateView, refusalView } from '../slack/messages.js';
import type { Tell, WebClient } from './runtime.js';

type AnyArgs = AnyMiddlewareArgs & { context: Context; client: WebClient; next: () => Promise<void> };

/** A typed value one middleware leaves in Bolt's context for the middleware and listener after it. */
export function contextSlot<T>(key: string): {
  set(context: Context, value: T): void;
  get(context: Context): T | undefined;
  has(context: Context): boolean;
} {
  return {
    has: (context) => key in context,
    set: (context, value) => {
      context[key] = value;
    },
    get: (context) => context[key] as T | undefined,
  };
}

/**
 * Bolt's autoAcknowledge, then one turn of the event loop before the work: in a burst, the acks of requests already
 * received go out before any answer's parsing and first LMO call take the loop. Slack waits 3 s for an ack; an answer
 * has its response_url for 30 minutes.
 */
export const ackFirst: Middleware<AnyMiddlewareArgs> = async (args) => {
  if ('ack' in args && args.ack) await args.ack();
  await new Promise<void>((resolve) => setImmediate(resolve));
  await args.next();
};

/** How to tell the person who acted, where they acted (set for commands and buttons here, for messages by routing). */
export const TELL = contextSlot<Tell>('lmaTell');

/** Counts requests being handled, so that stopping lets them finish (draining). */
export class InFlight {
  count = 0;

  readonly middleware: Middleware<AnyMiddlewareArgs> = async ({ next }) => {
    this.count++;
    try {
      await next();
    } finally {
      this.count--;
    }
  };

  /** Resolves once nothing is in flight, or after `limitMs` whatever is left. */
  async drained(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.count > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Every line logged while a request is handled carries what it is (LOG_FORMAT=json shows it): Slack's id for it,
 * the channel, the command kind (added by the /lma listener), its LMO calls and, on the closing debug line, how long
 * it took.
 */
export function inLogContext(logger: BotLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { event_id?: unknown; trigger_id?: unknown };
    const id = [body.event_id, body.trigger_id].find((v) => typeof v === 'string') as string | undefined;
    const { channel } = whoAndWhere(args);
    const what = describe(args);
    const started = Date.now();
    await withLogContext({ requestId: id ?? randomUUID(), ...(channel ? { channel } : {}) }, async () => {
      try {
        await (args as AnyArgs).next();
      } finally {
        addLogContext({ durationMs: Date.now() - started });
        logger.debug(`Handled ${what}.`);
      }
    });
  };
}

/** Catches what a handler throws: logged, and the person told (the LMO's failure explained, else "something went wrong"). */
export function replyOnFailure(logger: BotLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { next, context } = args as AnyArgs;
    try {
      await next();
    } catch (error) {
      const what = `handling ${describe(args)}`;
      const view = explainFailure(error, what, logger);
      await TELL.get(context)?.(view).catch((e: unknown) =>
        logger.error(`${what}: could not post the failure notice:`, e),
      );
    }
  };
}

/**
 * Sets TELL for a slash command (privately, through the Web API when the response_url fails), a button (beside it)
 * or a message shortcut (privately, in the message's channel).
 */
export function tellWhereTheyActed(logger: BotLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next, client } = args as AnyArgs;
    if ('command' in args && args.command) {
      const respond = withEphemeralFallback(args.respond, client, args.command, logger);
      TELL.set(
        context,
        tableOrText((view) => respond({ response_type: 'ephemeral', ...view })),
      );
    } else if (('action' in args && args.action) || ('shortcut' in args && args.shortcut)) {
      const respond = (args as { respond?: RespondFn }).respond;
      if (respond)
        TELL.set(
          context,
          tableOrText((view) => respond({ response_type: 'ephemeral', replace_original: false, ...view })),
        );
    }
    await next();
  };
}

/** A Tell that sends a view's tables as text rows when Slack refuses them (see sendWithFallback). */
export const tableOrText =
  (send: (view: SlackView) => Promise<unknown>): Tell =>
  (view) =>
    sendWithFallback(view, send);

/**
 * A click whose value is not one this bot writes (not text, or longer than Slack lets a button hold) is from a
 * button this version does not know: the person is told so, and the value never reaches a feature.
 */
export function knownValueOnly(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args as AnyArgs;
    const value = (args as { action?: { value?: unknown } }).action?.value;
    if (value === undefined || (typeof value === 'string' && value.length <= SLACK_LIMITS.buttonValue)) return next();
    await TELL.get(context)?.(outOfDateView());
  };
}

/**
 * Lets through only people and channels allowed to see license data; others are told so politely, naming no data,
 * where REFUSE says (else where TELL does: commands and buttons answer privately already); no REFUSE and no TELL,
 * no word.
 */
export function allowedOnly(policy: AccessPolicy, logger: BotLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args as AnyArgs;
    const { user, channel, personal } = whoAndWhere(args);
    if (isAllowed(policy, user, channel, personal)) return next();
    logger.debug(`Refused ${describe(args)}: ${user ?? 'nobody'} in ${channel ?? 'no channel'} is not allowed.`);
    const refuse = REFUSE.has(context) ? REFUSE.get(context) : TELL.get(context);
    await refuse?.(refusalView());
  };
}

/** Where a refusal goes when that is not where answers go (a message answered in the open); undefined: nowhere. */
export const REFUSE = contextSlot<Tell | undefined>('lmaRefuse');

function whoAndWhere(args: AnyMiddlewareArgs): { user?: string; channel?: string; personal?: boolean } {
  if ('command' in args && args.command) return { user: args.command.user_id, channel: args.command.channel_id };
  if ('action' in args && args.action) {
    const body = args.body as { user?: { id?: string }; channel?: { id?: string }; view?: { type?: string } };
    // A click in the person's own Home tab comes from no channel: it is theirs alone, as a DM is.
    return { user: body.user?.id, channel: body.channel?.id, personal: !body.channel && body.view?.type === 'home' };
  }
  if ('event' in args && args.event) {
    const event = args.event as { user?: unknown; channel?: unknown };
    return {
      user: typeof event.user === 'string' ? event.user : undefined,
      channel: typeof event.channel === 'string' ? event.channel : undefined,
    };
  }
  return {};
}

/** For logs: what was being handled, never what anyone typed. */
function describe(args: AnyMiddlewareArgs): string {
  if ('command' in args && args.command) return 'the /lma command';
  if ('action' in args && args.action) {
    const id = (args.action as { action_id?: string }).action_id;
    return `the button ${id ?? '(no action id)'}`;
  }
  if ('event' in args && args.event) {
    const event = args.event as { type?: string; channel?: unknown };
    return `a ${event.type} event${typeof event.channel === 'string' ? ` in ${event.channel}` : ''}`;
  }
  if ('view' in args && args.view) return `the modal ${args.view.callback_id}`;
  return 'a request';
}

/**
 * A response_url can fail (expired, used up, Slack having trouble): the error is logged and the answer goes to the
 * user as an ephemeral message through the Web API instead, which works wherever the bot is in the channel.
 */
function withEphemeralFallback(
  respond: RespondFn,
  client: WebClient,
  command: SlackCommandMiddlewareArgs['command'],
  logger: BotLogger,
): RespondFn {
  return async (message) => {
    try {
      return await respond(message);
    } catch (error) {
      // Refused for what it holds: the same message through the Web API would be refused too.
      if (refusedBlocks(error)) throw error;
      logger.error(
        `Could not answer /lma through its response_url (${error instanceof Error ? error.message : String(error)}); sending it with chat.postEphemeral instead.`,
      );
      // Our answers are always text plus Block Kit blocks.
      const content = (typeof message === 'string' ? { text: message } : message) as {
        text?: string;
        blocks?: types.KnownBlock[];
      };
      await client.chat.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
      });
      return { status: 200 } as Awaited<ReturnType<RespondFn>>;
    }
  };
}
