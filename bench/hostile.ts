/**
 * Hostile input against the bot's event loop: a burst of requests an attacker or a careless integration sends —
 * forged and stale signatures, a body over the limit, a malformed payload, and long commands full of SOQL and
 * Slack metacharacters that are answered — beside a burst of as many ordinary commands. The bot's event-loop delay
 * (bench/bot-probe.ts, in the bot) over each burst, so p99 hostile ÷ p99 normal says whether hostile input stalls
 * everyone else's answers.
 */
import { signSlackRequest } from '@lma-bot/slack-sandbox';
import type { LoopDelay } from './bot-probe.js';
import type { Rig } from './measure.js';
import { ask } from './processes.js';
import type { LoopDelayFigures } from './results.js';
import { CHANNEL, SIGNING_SECRET, timedCommand, USER } from './slack.js';

/** A customer name made of what breaks naive SOQL, LIKE and mrkdwn: quotes, wildcards, escapes, mentions, emoji. */
const NASTY = `O'Brien %_\\' OR Name != '' <!here> <#C0GENERAL> *_~\`> 🚀‍👩‍💻 Ünïcödé \u200b\u202e`;

type Kind = 'long command' | 'forged signature' | 'stale signature' | 'oversized body' | 'malformed payload';
const KINDS: Kind[] = ['long command', 'forged signature', 'stale signature', 'oversized body', 'malformed payload'];
/** Over the bot's 1 MB body limit (src/app: HTTPReceiver bodyLimit). */
const OVERSIZED_BYTES = 1_500_000;

function form(slack: Rig['slack'], text: string): string {
  return new URLSearchParams({
    team_id: slack.identity.teamId,
    channel_id: CHANNEL,
    user_id: USER,
    command: '/lma',
    text,
    api_app_id: slack.identity.appId,
    response_url: slack.createResponseUrl({ channel: CHANNEL, user: USER }),
    trigger_id: '1.2.3',
  }).toString();
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // the connection was dropped
  }
}

/** One hostile request of a kind; resolves with the HTTP status (answered ones once answered). */
async function hostile(rig: Rig, kind: Kind): Promise<number> {
  const slack = rig.slack;
  const appUrl = `http://127.0.0.1:${rig.bot.port}/slack/events`;
  switch (kind) {
    case 'long command':
      return (await timedCommand(rig.bot.driver, rig.watcher, `status ${NASTY.repeat(20)}`, true)).ackStatus;
    case 'forged signature': {
      const body = form(slack, 'trials');
      return post(appUrl, body, signSlackRequest('not-the-signing-secret', body));
    }
    case 'stale signature': {
      const body = form(slack, 'trials');
      return post(appUrl, body, signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 3600));
    }
    case 'oversized body': {
      const body = form(slack, `status ${'x'.repeat(OVERSIZED_BYTES)}`);
      return post(appUrl, body, signSlackRequest(SIGNING_SECRET, body));
    }
    case 'malformed payload': {
      const body = `payload=${encodeURIComponent('{"type":"block_actions","actions":[{')}`;
      return post(appUrl, body, signSlackRequest(SIGNING_SECRET, body));
    }
  }
}

async function loopDelayOver(rig: Rig, work: () => Promise<unknown>): Promise<LoopDelay> {
  rig.bot.child.process.send({ type: 'loop-delay', action: 'start' });
  await work();
  return ask<LoopDelay>(rig.bot.child, { type: 'loop-delay', action: 'read' });
}

const figures = (d: LoopDelay) => ({ p50: d.p50, p99: d.p99, max: d.max });

/** `n` ordinary commands at once, then `n` hostile requests at once (the kinds in turn), each under the loop probe. */
export async function measureLoopDelay(rig: Rig, texts: string[], n: number): Promise<LoopDelayFigures> {
  const normal = await loopDelayOver(rig, () =>
    Promise.all(
      Array.from({ length: n }, (_, i) => timedCommand(rig.bot.driver, rig.watcher, texts[i % texts.length], true)),
    ),
  );
  const statuses: Record<string, number> = {};
  const hostileDelay = await loopDelayOver(rig, () =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const kind = KINDS[i % KINDS.length];
        const status = await hostile(rig, kind);
        const key = `${kind} → ${status || 'dropped'}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }),
    ),
  );
  return { requests: n, normal: figures(normal), hostile: figures(hostileDelay), kinds: KINDS, statuses };
}
