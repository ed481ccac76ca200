/**
 * A person's DM with the bot: opened with conversations.open (scope `im:write`), for everything the bot sends one
 * person privately and lasting (the App Home's buttons' answers, Export CSV's file), and what to tell them when Slack
 * refuses a step of it: what went wrong and what to do.
 */
import type { webApi } from '@slack/bolt';
import { notice, type SlackView } from './blocks.js';
import { slackErrorCode } from './posting.js';

type WebClient = webApi.WebClient;

/** Which step of sending privately failed: opening the DM, posting a message in it, or uploading a file to it. */
export type DmStep = 'open' | 'message' | 'file';

/** A step of sending to a DM that failed, with Slack's error as its cause. */
export class DmStepError extends Error {
  constructor(
    readonly step: DmStep,
    override readonly cause: unknown,
  ) {
    super(`Sending to a DM failed at ${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DmStepError';
  }
}

/** Runs one step of sending to a DM; a failure comes out as a DmStepError naming the step. */
export async function dmStep<T>(step: DmStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof DmStepError ? error : new DmStepError(step, error);
  }
}

/** The id of the DM between the bot and `user` (the same one every time). */
export function openDm(client: WebClient, user: string): Promise<string> {
  return dmStep('open', async () => {
    const opened = await client.conversations.open({ users: user });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    return channel;
  });
}

/** Posts a view in the person's DM with the bot; resolves with the DM's id. */
export async function sendDm(client: WebClient, user: string, view: SlackView): Promise<string> {
  const channel = await openDm(client, user);
  await dmStep('message', () => client.chat.postMessage({ channel, text: view.text, blocks: view.blocks }));
  return channel;
}

/** A link that opens a conversation in Slack (the app or the browser), for "…in a DM" pointing at it. */
export const conversationUrl = (channel: string, team?: string) =>
  `https://slack.com/app_redirect?channel=${encodeURIComponent(channel)}${team ? `&team=${encodeURIComponent(team)}` : ''}`;

/** The `error` of a Web API call Slack answered with `ok: false` (posting.ts), and the scope it said was needed. */
function slackErrorOf(error: unknown): { code?: string; needed?: string } {
  const needed = (error as { data?: { needed?: unknown } } | null)?.data?.needed;
  return { code: slackErrorCode(error), needed: typeof needed === 'string' ? needed : undefined };
}

const SCOPE_OF: Record<DmStep, string> = { open: 'im:write', message: 'chat:write', file: 'files:write' };
const DOING: Record<DmStep, string> = {
  open: 'open a DM with you',
  message: 'send you a message in a DM',
  file: 'upload the file to our DM',
};

/**
 * What to tell the person when Slack refused a step of sending to their DM (a DmStepError), in words: what went
 * wrong and what to do. Undefined for anything else (a network failure: the caller's own failure handling applies).
 */
export function dmFailureText(error: unknown): string | undefined {
  if (!(error instanceof DmStepError)) return undefined;
  const { step } = error;
  const { code, needed } = slackErrorOf(error.cause);
  if (!code) return undefined;
  const doing = DOING[step];
  switch (code) {
    case 'missing_scope': {
      // Slack names every scope that would do (conversations.open: channels:manage,…,im:write): the bot's is named.
      const scope = !needed || needed.split(',').includes(SCOPE_OF[step]) ? SCOPE_OF[step] : needed;
      return `I cannot ${doing}: the app lacks the Slack scope \`${scope}\`. An admin adds it (api.slack.com/apps → OAuth & Permissions, or reinstall from manifest.yml) and reinstalls the app; \`npm run doctor\` names every missing scope.`;
    }
    case 'cannot_dm_bot':
      return `I cannot ${doing}, since Slack says you are a bot user: ask a person to click it.`;
    case 'user_not_found':
    case 'user_disabled':
    case 'user_not_visible':
      return `I cannot ${doing}: Slack does not let me reach your account (${code}). Ask a workspace admin to check it.`;
    case 'restricted_action':
    case 'not_allowed_token_type':
      return `I cannot ${doing}: this workspace does not let the app send direct messages (${code}). An admin allows it in the app's settings (App Home → Messages Tab), or in the workspace's app permissions.`;
    case 'file_uploads_disabled':
    case 'file_uploads_except_images_disabled':
      return `I cannot ${doing}: file uploads are turned off in this workspace (${code}). A workspace admin turns them on (Settings & permissions → Messaging → File uploads).`;
    case 'channel_not_found':
    case 'not_in_channel':
    case 'is_archived':
      return `I cannot ${doing}: Slack did not find our DM (${code}). Open the LMA app's Messages tab once, then try again.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'account_inactive':
      return `I cannot ${doing}: Slack refused the bot's token (${code}). An admin reinstalls the app and sets SLACK_BOT_TOKEN.`;
    case 'ratelimited':
      return `I cannot ${doing} right now: Slack is rate limiting the app. Try again in a minute.`;
    default:
      return `I cannot ${doing}: Slack answered \`${code}\`. Try again in a minute; if it keeps failing, an admin runs \`/lma doctor\`.`;
  }
}

/** dmFailureText as a notice to the person; undefined when it is not a failure of a DM step Slack answered. */
export function dmFailureView(error: unknown): SlackView | undefined {
  const text = dmFailureText(error);
  return text === undefined ? undefined : notice('warning', text);
}
