/**
 * The install guide in Slack: `/lma install` starts a guide in a new thread; its buttons and the replies typed in
 * that thread drive the state machine; the state lives in the store, so any bot instance on the same store file
 * carries on. Every guide thread is handled here and only here (mentions included), once per message.
 */
import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import { isAllowed } from '../access.js';
import type { BotRuntime } from '../bot.js';
import type { Feature } from '../features.js';
import type { CommandContext } from '../listeners/commands.js';
import { GUIDE_TTL_DAYS, type StoredGuide } from '../store/store.js';
import type { SlackView } from '../views/blocks.js';
import {
  GUIDE_ACTION_PATTERN,
  GUIDE_ACTIONS,
  guideGoneView,
  guideNoteView,
  guideParentView,
  guideView,
  notInChannelView,
  orgCheckView,
  parseGuideButtonValue,
} from '../views/guide.js';
import { refusalView, unexpectedFailureView } from '../views/messages.js';
import { checkOrg } from './check.js';
import { type Effect, type GuideInput, type GuideState, startGuide, step } from './machine.js';
import { parseReply } from './replies.js';

type WebClient = webApi.WebClient;
type Guide = StoredGuide<GuideState>;

/** The fields of a `message` or `app_mention` event this feature reads. */
interface ThreadMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
}

/** Tells only the person who acted. */
type Tell = (view: SlackView) => Promise<unknown>;

const CLEANUP_EVERY_MS = 6 * 3_600_000;
/** Saves an input may lose to other bot instances stepping the same guide before it gives up. */
const MAX_SAVE_ATTEMPTS = 5;
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

export function guideFeature(runtime: BotRuntime): Feature {
  const { store, logger, config } = runtime;
  const { guides } = store;
  const inOrder = serializer();
  let cleanupTimer: NodeJS.Timeout | undefined;

  const cleanUp = async (): Promise<void> => {
    try {
      const removed = await guides.removeIdle(runtime.clock());
      if (removed > 0) logger.info(`Removed ${removed} install guide(s) idle for ${GUIDE_TTL_DAYS} days.`);
    } catch (error) {
      logger.warn('Install guide: removing idle guides failed (tried again later):', error);
    }
  };

  async function install({ command, respond, client }: CommandContext): Promise<void> {
    const channel = command.channel_id;
    const user = command.user_id;
    let threadTs: string;
    try {
      threadTs = (await client.chat.postMessage({ channel, ...guideParentView(user) })).ts as string;
    } catch (error) {
      if (!NOT_A_MEMBER.has(slackErrorCode(error) ?? '')) throw error;
      await respond({ response_type: 'ephemeral', ...notInChannelView() });
      return;
    }
    const now = runtime.clock();
    await store.threads.mark(channel, threadTs, 'guide', now);
    const state = startGuide(user, now);
    const posted = await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      ...guideView(state, threadTs, config.timezone),
    });
    // A new thread: no one else can have saved a guide in it.
    await guides.save({ channel, threadTs, messageTs: posted.ts as string, state, revision: 0 }, now);
  }

  /**
   * One input on one guide: load, step, save, then carry out the effects. Inputs on a guide run one at a time here;
   * the store refuses a save when another process stepped the guide meanwhile, and the input is applied again to
   * the state it saved.
   */
  function apply(
    client: WebClient,
    channel: string,
    threadTs: string,
    input: GuideInput,
    user: string,
    tell: Tell,
  ): Promise<void> {
    return inOrder(`${channel}:${threadTs}`, async () => {
      for (let attempt = 1; ; attempt++) {
        const guide = await guides.get<GuideState>(channel, threadTs);
        if (!guide) {
          await tell(guideGoneView());
          return;
        }
        const now = runtime.clock();
        const { state, effects } = step(guide.state, input, { user, at: now });
        const next = { ...guide, state };
        if (await guides.save(next, now)) {
          for (const effect of effects) await perform(client, next, effect, tell);
          return;
        }
        if (attempt === MAX_SAVE_ATTEMPTS)
          throw new Error(`Install guide ${channel}:${threadTs}: ${attempt} saves in a row lost to other instances`);
      }
    });
  }

  async function perform(client: WebClient, guide: Guide, effect: Effect, tell: Tell): Promise<void> {
    const { channel, threadTs, state } = guide;
    const tz = config.timezone;
    switch (effect.kind) {
      case 'render':
        await client.chat.update({ channel, ts: guide.messageTs, ...guideView(state, threadTs, tz) });
        return;
      case 'say':
        await client.chat.postMessage({ channel, thread_ts: threadTs, ...guideNoteView(effect.note, state, tz) });
        return;
      case 'tell':
        await tell(guideNoteView(effect.note, state, tz));
        return;
      case 'check': {
        const result = await checkOrg(runtime.service);
        if (result.kind === 'failed') logger.warn('Install guide: the org check failed:', result.error);
        await client.chat.postMessage({ channel, thread_ts: threadTs, ...orgCheckView(result, runtime.lmoLabel()) });
        return;
      }
    }
  }

  async function onThreadMessage(
    message: ThreadMessage,
    client: WebClient,
    botUserId: string | undefined,
  ): Promise<void> {
    const { channel, thread_ts: threadTs, user } = message;
    // Edits, deletions, joins and every bot's posts (ours included) are not replies to act on.
    if (message.subtype !== undefined && message.subtype !== 'thread_broadcast') return;
    if (message.bot_id || !user || user === botUserId || !threadTs) return;
    if ((await store.threads.kind(channel, threadTs)) !== 'guide') return;
    // Keyed by the message, not the event: Slack's retries and the app_mention + message pair for one mention
    // are the same message, answered once.
    if (!(await store.events.claim(`guide:${channel}:${message.ts}`, runtime.clock()))) return;
    const tell: Tell = (view) => client.chat.postEphemeral({ channel, user, thread_ts: threadTs, ...view });
    try {
      if (!isAllowed(config.access, user, channel)) {
        await tell(refusalView());
        return;
      }
      const reply = parseReply(message.text ?? '');
      const input: GuideInput =
        reply.kind === 'command'
          ? { kind: 'command', command: reply.command }
          : reply.kind === 'org'
            ? { kind: 'org', name: reply.name }
            : { kind: 'text', text: reply.text };
      await apply(client, channel, threadTs, input, user, tell);
    } catch (error) {
      logger.error('Install guide: a thread reply failed:', error);
      await tell(unexpectedFailureView()).catch((e: unknown) =>
        logger.error('Could not tell the user about the failure:', e),
      );
    }
  }

  return {
    name: 'guide',
    commands: { install },
    register(app: App) {
      app.event('message', async ({ event, client, context }) => {
        await onThreadMessage(event as unknown as ThreadMessage, client, context.botUserId);
      });
      app.event('app_mention', async ({ event, client, context }) => {
        await onThreadMessage(event as unknown as ThreadMessage, client, context.botUserId);
      });
      app.action<BlockButtonAction>(GUIDE_ACTION_PATTERN, async ({ ack, body, action, respond, client }) => {
        await ack();
        const tell: Tell = (view) => respond({ response_type: 'ephemeral', replace_original: false, ...view });
        const channel = body.channel?.id;
        try {
          if (!isAllowed(config.access, body.user.id, channel)) {
            await tell(refusalView());
            return;
          }
          const command = GUIDE_ACTIONS[action.action_id];
          const ref = parseGuideButtonValue(action.value);
          if (!command || !ref || !channel) {
            await tell(guideGoneView());
            return;
          }
          await apply(
            client,
            channel,
            ref.threadTs,
            { kind: 'command', command, fromStage: ref.stage },
            body.user.id,
            tell,
          );
        } catch (error) {
          logger.error('Install guide: a button failed:', error);
          await tell(unexpectedFailureView()).catch((e: unknown) =>
            logger.error('Could not tell the user about the failure:', e),
          );
        }
      });
    },
    async start() {
      await cleanUp();
      cleanupTimer = setInterval(() => void cleanUp(), CLEANUP_EVERY_MS);
      cleanupTimer.unref();
    },
    stop() {
      clearInterval(cleanupTimer);
    },
  };
}

function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

/** Runs tasks with the same key one after another (two quick clicks must not both act on the same state). */
function serializer(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
