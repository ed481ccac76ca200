import { generateDemoData } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ACTIVITY } from '../../src/app/local.js';
import type { AlertsFeature } from '../../src/features/alerts/feature.js';
import { EVENT_KINDS } from '../../src/lma/license-events.js';
import { ACTION_SHARE } from '../../src/slack/licenses.js';
import { blockText, startHarness } from '../support/harness.js';
import { TODAY } from '../support/lmo-fixture.js';
import { type SandboxBot, startSandboxBot } from '../support/sandbox-bot.js';

const BOT = 'U0LMABOT';

describe('the sandbox page server', () => {
  let s: SandboxBot;
  beforeAll(async () => {
    s = await startSandboxBot();
  });
  afterAll(async () => s?.close());

  const post = (path: string, body: unknown) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const history = async (channel = 'C0GENERAL') =>
    ((await (await fetch(`${s.url}/api/channels/${channel}/messages`)).json()) as { messages: PageMessage[] }).messages;
  /** Polls the page API the way the page itself would read it. */
  const waitFor = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 400; i += 1) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('timed out waiting for the page API');
  };

  it('serves the page, its stylesheet and script, on PORT while the app listens elsewhere', async () => {
    const page = await fetch(`${s.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="/app.js"');
    expect((await fetch(`${s.url}/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${s.url}/style.css`)).headers.get('content-type')).toContain('text/css');
    expect(s.bot.url).not.toBe(s.url);
    expect((await fetch(`${s.url}/slack/events`)).status).toBe(404);
  });

  it('describes the workspace: you, the bot and the channels', async () => {
    const workspace = await (await fetch(`${s.url}/api/workspace`)).json();
    expect(workspace).toMatchObject({
      user: { id: 'U0YOU', name: 'you' },
      bot: { id: BOT },
      channels: [
        { id: 'C0GENERAL', name: 'general' },
        { id: 'C0ALERTS', name: 'alerts' },
      ],
    });
  });

  it('subscribes #alerts to every license alert and turns the embedded LMO’s activity on, unless told otherwise', async () => {
    const [subscription] = await s.bot.runtime.store.alerts.subscriptions('C0ALERTS');
    expect(subscription).toMatchObject({ events: [...EVENT_KINDS], packageName: null, by: 'ALERT_CHANNEL' });
    expect(s.logs.some((l) => l.includes(`Embedded LMO: ${SANDBOX_ACTIVITY} simulated license changes a minute`))).toBe(
      true,
    );
    const quiet = await startSandboxBot({ LMO_ACTIVITY: '0', ALERT_CHANNEL: 'C0GENERAL' });
    try {
      expect(quiet.logs.some((l) => l.includes('simulated license changes'))).toBe(false);
      expect(quiet.bot.slack?.channel('C0ALERTS')).toBeUndefined();
      expect(await quiet.bot.runtime.store.alerts.subscriptions('C0GENERAL')).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });

  /** Types `/lma renewals 30` on the page and waits for its private answer (each test asks its own). */
  const askRenewals = async () => {
    const before = new Set((await history()).map((m) => m.ts));
    const sent = await post('/api/messages', { channel: 'C0GENERAL', text: '/lma renewals 30' });
    expect(await sent.json()).toEqual({ ok: true, kind: 'command' });
    return waitFor(async () =>
      (await history()).find((m) => !before.has(m.ts) && m.isBot && m.ephemeral && /renew/i.test(blockText(m.blocks))),
    );
  };

  it('turns /lma into a signed slash command whose answer shows only to you', async () => {
    const answer = await askRenewals();
    const text = blockText(answer.blocks);
    for (const customer of ['Acme Corporation', 'Acme Labs', 'Globex']) expect(text).toContain(customer);
    expect(text).not.toContain('Stark Industries');
  });

  it('turns a button click into block_actions: "Share in channel" posts the answer for everyone', async () => {
    const answer = await askRenewals();
    expect(JSON.stringify(answer.blocks)).toContain(ACTION_SHARE);
    const clicked = await post('/api/actions', { channel: 'C0GENERAL', ts: answer.ts, action_id: ACTION_SHARE });
    expect(await clicked.json()).toEqual({ ok: true });
    const shared = await waitFor(async () =>
      (await history()).find((m) => m.isBot && !m.ephemeral && /shared/.test(m.text)),
    );
    expect(blockText(shared.blocks)).toContain('Acme Labs');
  });

  it('refuses a click on a message that is not there, or an unknown channel', async () => {
    expect((await post('/api/actions', { channel: 'C0GENERAL', ts: '1.000001', action_id: 'x' })).status).toBe(404);
    expect((await post('/api/messages', { channel: 'C0NOPE', text: '/lma help' })).status).toBe(404);
  });

  it('answers an unknown slash command with an error the page shows, without calling the app', async () => {
    const sent = await post('/api/messages', { channel: 'C0GENERAL', text: '/remind me' });
    expect(sent.status).toBe(400);
    expect(((await sent.json()) as { error: string }).error).toContain('not a valid command');
  });

  it('posts a plain message to the channel history, escaped as Slack does', async () => {
    const sent = (await (await post('/api/messages', { channel: 'C0GENERAL', text: 'hello <b>team</b>' })).json()) as {
      ts: string;
    };
    const mine = (await history()).find((m) => m.ts === sent.ts);
    expect(mine).toMatchObject({ user: 'U0YOU', userName: 'You', isBot: false, text: 'hello &lt;b&gt;team&lt;/b&gt;' });
  });

  it('a thread reply needs an existing parent', async () => {
    expect((await post('/api/messages', { channel: 'C0GENERAL', text: 'hi', thread_ts: '9.000009' })).status).toBe(404);
  });

  it('refuses requests that are not JSON, or that come through another host name', async () => {
    const form = await fetch(`${s.url}/api/messages`, { method: 'POST', body: 'channel=C0GENERAL&text=hi' });
    expect(form.status).toBe(415);
    const port = new URL(s.url).port;
    const rebinding = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/api/workspace', headers: { Host: `evil.example:${port}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(rebinding).toBe(403);
  });

  it('streams a change event over SSE when the workspace changes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${s.url}/api/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const first = await reader.read();
    seen += decoder.decode(first.value);
    expect(seen).toContain('event: change');
    const before = Number(seen.match(/"version":(\d+)/)![1]);
    await post('/api/messages', { channel: 'C0GENERAL', text: 'a change' });
    let after = before;
    while (after <= before) {
      const chunk = await reader.read();
      const versions = [...decoder.decode(chunk.value).matchAll(/"version":(\d+)/g)].map((m) => Number(m[1]));
      after = Math.max(after, ...versions);
    }
    expect(after).toBeGreaterThan(before);
    controller.abort();
  });
});

describe('a newcomer’s sandbox', () => {
  it('shows license alerts arriving in #alerts from the embedded LMO’s simulated activity', async () => {
    // 600 changes a minute instead of the default, so that the test need not wait for them.
    const s = await startSandboxBot({ LMO_ACTIVITY: '600' });
    try {
      const alerts = s.bot.registry.features.find((f) => f.name === 'alerts') as AlertsFeature;
      // The poller's timer is a minute away: the test reads the feed itself (its first read may be the baseline).
      const posted = () => s.bot.slack!.messages('C0ALERTS').filter((m) => m.bot_id && !m.thread_ts);
      for (let i = 0; i < 100 && posted().length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await alerts.tick();
      }
      expect(posted().length).toBeGreaterThan(0);
      expect(blockText(posted()[0].blocks)).toMatch(
        /New trial|Converted|Uninstalled|Seats changed|Upgraded|Suspended|Reactivated|summary|changes/,
      );
    } finally {
      await s.close();
    }
  });
});

describe('a newcomer’s sandbox Home', () => {
  /** Opens Home on the page, as its sidebar entry does, and reads the published view's text. */
  async function homeText(env: Record<string, string>): Promise<string> {
    const s = await startSandboxBot({ LMO_ACTIVITY: '0', ...env }, generateDemoData({ today: TODAY, licenses: 300 }));
    try {
      const opened = await fetch(`${s.url}/api/home/open`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(opened.status).toBe(200);
      // The app acks the event first and publishes after: the page reads Home until a view is there.
      let view: { blocks: unknown[] } | null = null;
      for (let i = 0; i < 200 && !view; i++) {
        ({ view } = (await (await fetch(`${s.url}/api/home`)).json()) as { view: { blocks: unknown[] } | null });
        if (!view) await new Promise((r) => setTimeout(r, 25));
      }
      if (!view) throw new Error('no Home view was published');
      return blockText(view.blocks as never);
    } finally {
      await s.close();
    }
  }

  it('on the demo data shows your week as one of its sales reps; mapped to an unknown email, the line on how to get matched', async () => {
    const matched = await homeText({});
    expect(matched).toContain(`Your week`);
    expect(matched).toContain('Priya Natarajan');
    expect(matched).not.toContain('LMA_USER_MAP');
    const newcomer = await homeText({ LMA_USER_MAP: 'U0YOU:newcomer@example.com' });
    expect(newcomer).toContain('newcomer@example.com');
    expect(newcomer).toContain('LMA_USER_MAP=U0YOU:');
  });
});

describe('with Slack tokens', () => {
  it('serves no sandbox page: the app itself listens on PORT for Slack', async () => {
    const h = await startHarness();
    try {
      expect(h.bot.sandboxUrl).toBeUndefined();
      expect(h.bot.slack).toBeUndefined();
      expect((await fetch(`${h.bot.url}/`)).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});

interface PageMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  userName: string;
  isBot: boolean;
  text: string;
  blocks?: unknown[];
  ephemeral: boolean;
  replyCount: number;
}
