/**
 * Sales reps ask in threads: "@LMA when does Acme renew?" anywhere, plain replies in threads where the bot
 * has spoken (an answer, a digest), and direct messages. Answers go in the thread, visible to everyone in it.
 */
import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { isAllowed } from '../access.js';
import type { BotRuntime } from '../bot.js';
import type { Feature } from '../features.js';
import { ACTION_PICK_CUSTOMER } from '../views/answers.js';
import type { SlackView } from '../views/blocks.js';
import { refusalView, unexpectedFailureView } from '../views/messages.js';
import { replyTo } from './reply.js';
import { type IncomingEvent, type Question, routeEvent } from './route.js';

/** What the listener reads from Bolt's arguments, the same for `app_mention` and `message`. */
interface EventArgs {
  event: unknown;
  body: { event_id?: string };
  context: { botUserId?: string };
  client: webApi.WebClient;
}

export function askFeature(runtime: BotRuntime): Feature {
  const { store, logger, config } = runtime;

  const post = async (client: webApi.WebClient, question: Question, view: SlackView) => {
    await client.chat.postMessage({
      channel: question.channel,
      ...(question.replyThreadTs !== undefined && { thread_ts: question.replyThreadTs }),
      text: view.text,
      blocks: view.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  };

  const onEvent = async ({ event, body, context: bolt, client }: EventArgs) => {
    const route = await routeEvent(event as IncomingEvent, {
      botUserId: bolt.botUserId,
      threadKind: (channel, ts) => store.threads.kind(channel, ts),
    });
    if ('ignore' in route) {
      logger.debug(`ask: ignoring ${route.ignore}`);
      return;
    }
    // Slack redelivers an event it thinks was not received (same event_id): answer it once.
    if (body.event_id !== undefined && !(await store.events.claim(`ask:${body.event_id}`, runtime.clock()))) {
      logger.debug(`ask: event ${body.event_id} already answered (a retried delivery)`);
      return;
    }
    const question = route.answer;
    try {
      if (!isAllowed(config.access, question.user, question.channel)) {
        await post(client, question, refusalView());
        return;
      }
      const reply = await replyTo(question, {
        answerer: runtime.answerer,
        parseContext: runtime.parseContext,
        context: store.threadContext,
        clock: runtime.clock,
      });
      if ('silent' in reply) {
        logger.debug(`ask: not answering ${reply.silent}`);
        return;
      }
      await post(client, question, reply.view);
      // Now the bot has spoken in this thread: plain replies there are questions for it too.
      if (question.replyThreadTs !== undefined)
        await store.threads.mark(question.channel, question.replyThreadTs, 'answer', runtime.clock());
    } catch (error) {
      logger.error(`ask: answering a ${question.via} in ${question.channel} failed:`, error);
      await post(client, question, unexpectedFailureView()).catch((e: unknown) =>
        logger.error('ask: could not post the failure notice:', e),
      );
    }
  };

  return {
    name: 'ask',
    register(app: App) {
      app.event('app_mention', (args) => onEvent(args));
      app.event('message', (args) => onEvent(args));
      // A pick from a candidate list in a thread is answered by the actions listener; here the thread learns
      // who "they" are now, so "and their seats?" after the pick refers to the picked customer.
      app.action<BlockButtonAction>(new RegExp(`^${ACTION_PICK_CUSTOMER}_\\d+$`), async ({ body, action }) => {
        const key = pickContextKey(body);
        const name = pickedName(action.value);
        if (key !== undefined && name !== undefined && isAllowed(config.access, body.user.id, key.channel)) {
          await store.threadContext.remember(key.channel, key.contextKey, name, runtime.clock());
        }
      });
    },
  };
}

/** Where a pick's context lives: the thread of a list everyone sees, or a DM's main conversation. */
function pickContextKey(body: BlockButtonAction): { channel: string; contextKey: string } | undefined {
  const channel = body.channel?.id;
  if (channel === undefined || body.container.is_ephemeral !== false) return undefined;
  const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  if (threadTs !== undefined) return { channel, contextKey: threadTs };
  return channel.startsWith('D') ? { channel, contextKey: '' } : undefined;
}

function pickedName(value: string | undefined): string | undefined {
  try {
    const { name } = JSON.parse(value ?? '') as { name?: unknown };
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
