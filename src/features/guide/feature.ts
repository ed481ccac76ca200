/**
 * The install guide in Slack: `/lma install` starts a guide in a new thread; its buttons and the replies typed in
 * that thread drive the state machine; the state lives in the store, so any bot instance on the same store file
 * carries on. The feature owns the `guide` thread kind: every person's message in a guide thread comes here, once.
 */
import type { CommandContext, FeatureFactory, PersonMessage, Tell, WebClient } from '../../app/runtime.js';
import { readNothing } from '../../parse/index.js';
import { GUIDE_TTL_DAYS, type StoredGuide } from '../../store/store.js';
import { InOrder } from '../../util/in-order.js';
import { checkOrg } from './check.js';
import { type Effect, type GuideInput, type GuideState, startGuide, step } from './machine.js';
import { parseReply } from './replies.js';
import {
  GUIDE_ACTION_PREFIX,
  GUIDE_ACTIONS,
  guideGoneView,
  guideNoteView,
  guideParentView,
  guideView,
  notInChannelView,
  orgCheckView,
  parseGuideButtonValue,
} from './views.js';

type Guide = StoredGuide<GuideState>;

const CLEANUP_EVERY_MS = 6 * 3_600_000;
/** Saves an input may lose to other bot instances stepping the same guide before it gives up. */
const MAX_SAVE_ATTEMPTS = 5;
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

export const guideFeature: FeatureFactory = (runtime) => {
  const { store, logger, config } = runtime;
  const { guides } = store;
  const inOrder = new InOrder();
  let cleanupTimer: NodeJS.Timeout | undefined;

  const cleanUp = async (): Promise<void> => {
    try {
      const removed = await guides.removeIdle(runtime.clock());
      if (removed > 0) logger.info(`Removed ${removed} install guide(s) idle for ${GUIDE_TTL_DAYS} days.`);
    } catch (error) {
      logger.warn('Install guide: removing idle guides failed (tried again later):', error);
    }
  };

  async function install(_request: unknown, { command, client, tell }: CommandContext): Promise<void> {
    const channel = command.channel_id;
    const user = command.user_id;
    let threadTs: string;
    try {
      threadTs = (await client.chat.postMessage({ channel, ...guideParentView(user) })).ts as string;
    } catch (error) {
      if (!NOT_A_MEMBER.has(slackErrorCode(error) ?? '')) throw error;
      await tell(notInChannelView());
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
    return inOrder.run(`${channel}:${threadTs}`, async () => {
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
        await client.chat.postMessage({ channel, thread_ts: threadTs, ...orgCheckView(result, runtime.lmo.label()) });
        return;
      }
    }
  }

  /** A reply typed in a guide thread: a command ("done", typos allowed), the LMO's name, or free text. */
  function inputOf(message: PersonMessage): GuideInput {
    const reply = parseReply(message.text);
    if (reply.kind === 'command') return { kind: 'command', command: reply.command };
    return reply.kind === 'org' ? { kind: 'org', name: reply.name } : { kind: 'text', text: reply.text };
  }

  return {
    name: 'guide',
    commands: [
      {
        name: 'install',
        usage: '/lma install',
        example: '/lma install',
        summary: 'A guided walk, in a thread, through installing the License Management App in the right org.',
        parse: readNothing('install'),
        handle: install,
      },
    ],
    threads: [
      {
        kind: 'guide',
        handle: (message, { client, tell }) =>
          apply(client, message.channel, message.threadTs, inputOf(message), message.user, tell),
      },
    ],
    actions: [
      {
        id: { prefix: GUIDE_ACTION_PREFIX },
        async handle({ body, action, client, tell }) {
          const command = GUIDE_ACTIONS[action.action_id];
          const ref = parseGuideButtonValue(action.value);
          const channel = body.channel?.id;
          if (!command || !ref || !channel) return tell(guideGoneView());
          const input: GuideInput = { kind: 'command', command, fromStage: ref.stage };
          await apply(client, channel, ref.threadTs, input, body.user.id, tell);
        },
      },
    ],
    async start() {
      await cleanUp();
      cleanupTimer = setInterval(() => void cleanUp(), CLEANUP_EVERY_MS);
      cleanupTimer.unref();
    },
    stop() {
      clearInterval(cleanupTimer);
    },
  };
};

function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}
