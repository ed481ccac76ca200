/**
 * Slack's side of the benchmark, in the benchmark's own process: the fake Slack (Web API and response_urls) both
 * apps talk to, and timed operations — a slash command (sent → HTTP 200 ack, sent → first response_url post) and a
 * thread question (an `app_mention`, answered by the bot's chat.postMessage in the thread).
 */
import { DEMO_REP_EMAIL } from '@lma-bot/lmo-emulator';
import { type FakeSlack, SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';

export const BOT_TOKEN = 'xoxb-bench-bot-token-0123456789';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const USER = 'U0BENCH';
export const CHANNEL = 'C0GENERAL';
/** How long an answer may take before the sample counts as unanswered. */
const ANSWER_TIMEOUT_MS = 15_000;

export function startBenchSlack(): Promise<FakeSlack> {
  return startFakeSlack({
    botToken: BOT_TOKEN,
    channels: [{ id: CHANNEL, name: 'general' }],
    // A sales rep of the demo data (by Slack email), as the people who use LMA Bot are: Home's first open reads their
    // week too, and `mine` has customers.
    users: [{ id: USER, name: 'bench', email: DEMO_REP_EMAIL }],
  });
}

export function driverFor(slack: FakeSlack, port: number): SlackDriver {
  return new SlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, slack });
}

interface Pending {
  check: () => boolean;
  resolve: () => void;
}

/**
 * Resolves waits as soon as the fake Slack changes (one listener for all, so fifty waits cost fifty cheap checks
 * per change, not fifty pollers).
 */
export class AnswerWatcher {
  private readonly pending = new Set<Pending>();

  constructor(private readonly slack: FakeSlack) {
    slack.onChange(() => {
      for (const p of this.pending) {
        if (p.check()) {
          this.pending.delete(p);
          p.resolve();
        }
      }
    });
  }

  /** Resolves true once `check` holds, false after the timeout. */
  until(check: () => boolean, timeoutMs = ANSWER_TIMEOUT_MS): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(entry);
        resolve(false);
      }, timeoutMs);
      const entry: Pending = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.pending.add(entry);
    });
  }

  /** The first post to a response_url, once it arrives. */
  async response(responseUrl: string): Promise<Record<string, unknown> | undefined> {
    const answered = await this.until(() => this.slack.responses(responseUrl).length > 0);
    return answered ? this.slack.responses(responseUrl)[0].body : undefined;
  }
}

export interface Timing {
  ackMs: number;
  ackStatus: number;
  /** Undefined when no answer came (or none was awaited). */
  answerMs?: number;
  /** The answer was a warning, refusal or usage message rather than an answer. */
  failed: boolean;
  /** The first response_url post, for a command whose answer was awaited. */
  body?: Record<string, unknown>;
}

/** Views that are not answers start with one of these emoji (see src/slack/messages.ts). */
const NOT_AN_ANSWER = /^:(warning|lock|thinking_face):/;

export function isFailureView(body: { blocks?: unknown } | undefined): boolean {
  const first = (body?.blocks as { text?: { text?: string } }[] | undefined)?.[0];
  return NOT_AN_ANSWER.test(first?.text?.text ?? '');
}

/** `/lma <text>`: ack time, and (when `awaitAnswer`) the time until the first response_url post. */
export async function timedCommand(
  driver: SlackDriver,
  watcher: AnswerWatcher,
  text: string,
  awaitAnswer: boolean,
): Promise<Timing> {
  const sent = performance.now();
  const ack = await driver.command(text, { user: USER, channel: CHANNEL });
  const ackMs = performance.now() - sent;
  if (!awaitAnswer) return { ackMs, ackStatus: ack.status, failed: ack.status !== 200 };
  const body = await watcher.response(ack.responseUrl);
  const answerMs = body ? performance.now() - sent : undefined;
  return { ackMs, ackStatus: ack.status, answerMs, failed: ack.status !== 200 || !body || isFailureView(body), body };
}

/** "@LMA <question>" in the channel: the answer is the bot's reply in the message's thread. */
export async function timedMention(
  slack: FakeSlack,
  driver: SlackDriver,
  watcher: AnswerWatcher,
  question: string,
): Promise<Timing> {
  const sent = performance.now();
  const { status, message } = await driver.say(`<@${slack.identity.botUserId}> ${question}`, {
    user: USER,
    channel: CHANNEL,
  });
  const ackMs = performance.now() - sent;
  const reply = () => slack.thread(CHANNEL, message.ts).find((m) => m.ts !== message.ts && m.bot_id !== undefined);
  const answered = await watcher.until(() => reply() !== undefined);
  const answerMs = answered ? performance.now() - sent : undefined;
  return { ackMs, ackStatus: status, answerMs, failed: status !== 200 || !answered || isFailureView(reply()) };
}

/** Opening the App Home: the answer is the next view the bot publishes for the user (a new hash). */
export async function timedHome(slack: FakeSlack, driver: SlackDriver, watcher: AnswerWatcher): Promise<Timing> {
  const before = slack.homeView(USER)?.hash;
  const sent = performance.now();
  const { status } = await driver.openHome(USER);
  const ackMs = performance.now() - sent;
  const answered = await watcher.until(() => {
    const view = slack.homeView(USER);
    return view !== undefined && view.hash !== before;
  });
  const answerMs = answered ? performance.now() - sent : undefined;
  const view = slack.homeView(USER);
  return { ackMs, ackStatus: status, answerMs, failed: status !== 200 || !answered || isFailureView(view) };
}
