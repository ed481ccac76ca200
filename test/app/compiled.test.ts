/**
 * `node dist/index.js`, the production start: built by `npm run build`, run by plain Node (no tsx, no TypeScript),
 * in the local sandbox mode a fresh clone starts in and in HTTP mode against an org, as `npm start` is tried.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorHandle, generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { type FakeSlack, SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIn } from '../../src/lma/dates.js';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { BUILD_TIMEOUT_MS, buildCompiled } from '../support/compiled.js';
import { BOT_TOKEN, blockText, CHANNEL, SIGNING_SECRET, USER } from '../support/harness.js';

let entry = '';
const children: Child[] = [];

beforeAll(async () => {
  entry = await buildCompiled();
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  for (const child of children) await stopChild(child);
});

const scratch = () => mkdtempSync(join(tmpdir(), 'lma-compiled-'));

/** Every compiled module of the bot and of the workspace packages it loads. */
function compiledFiles(): string[] {
  const dirs = ['dist', 'packages/zone/dist', 'packages/lmo-emulator/dist', 'packages/slack-sandbox/dist'];
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .map((f) => join(dir, f)),
  );
}

describe('the build', () => {
  test('compiles the bot and every workspace package; nothing compiled imports TypeScript or tsx', () => {
    const files = compiledFiles();
    for (const needed of [
      'dist/index.js',
      'packages/lmo-emulator/dist/index.js',
      'packages/slack-sandbox/dist/index.js',
    ])
      expect(files).toContain(needed);
    expect(files.length).toBeGreaterThan(100);
    const importsTs = files.filter((f) =>
      /from ['"][^'"]+\.ts['"]|import\(['"][^'"]+\.ts['"]\)|['"]tsx['"]/.test(readFileSync(f, 'utf8')),
    );
    expect(importsTs).toEqual([]);
  });

  test('tsx and TypeScript are development dependencies only', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(pkg.dependencies!)).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies!)).not.toContain('typescript');
    expect(pkg.devDependencies!.tsx).toBeDefined();
  });
});

describe('node dist/index.js with no configuration (the local sandbox and the embedded demo LMO)', () => {
  let pageUrl = '';
  beforeAll(async () => {
    // A scratch working directory: no .env, and the default DATA_DIR (./data) is created there.
    const child = startChild(entry, { PORT: '0' }, { cwd: scratch() });
    children.push(child);
    const line = await child.waitForLine(/open http:\/\/localhost:\d+/, 60_000);
    pageUrl = /open (http:\/\/localhost:\d+)/.exec(line)![1]!.replace('localhost', '127.0.0.1');
  }, 90_000);

  test('answers /lma renewals on the sandbox page', async () => {
    const sent = await fetch(`${pageUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'C0GENERAL', text: '/lma renewals 30' }),
    });
    expect(await sent.json()).toEqual({ ok: true, kind: 'command' });
    let answer: string | undefined;
    for (let i = 0; i < 400 && answer === undefined; i += 1) {
      const page = (await (await fetch(`${pageUrl}/api/channels/C0GENERAL/messages`)).json()) as {
        messages: { isBot: boolean; ephemeral: boolean; blocks?: unknown[] }[];
      };
      answer = page.messages.filter((m) => m.isBot && m.ephemeral).map((m) => blockText(m.blocks))[0];
      if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answer, `no answer; the bot printed:\n${children.at(-1)?.lines.slice(-15).join('\n')}`).toContain(
      'Renewals in the next 30 days',
    );
  });
});

describe('node dist/index.js in HTTP mode against an org', () => {
  let slack: FakeSlack;
  let emulator: EmulatorHandle;
  let child: Child;
  let driver: SlackDriver;

  beforeAll(async () => {
    slack = await startFakeSlack({ botToken: BOT_TOKEN, channels: [{ id: CHANNEL, name: 'general' }] });
    emulator = await startEmulator({ data: generateDemoData({ today: todayIn('UTC', new Date()) }), timezone: 'UTC' });
    child = startChild(entry, {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: emulator.credentials.clientId,
      SF_CLIENT_SECRET: emulator.credentials.clientSecret,
      SF_REFRESH_TOKEN: emulator.credentials.refreshToken,
      DATA_DIR: scratch(),
      LMA_TIMEZONE: 'UTC',
    });
    children.push(child);
    const line = await child.waitForLine(/listening for Slack on http:\/\/\S+\/slack\/events/, 60_000);
    const appUrl = /(http:\/\/\S+\/slack\/events)/.exec(line)![1]!;
    driver = new SlackDriver({ appUrl, signingSecret: SIGNING_SECRET, slack });
  }, 90_000);
  afterAll(async () => {
    await stopChild(child);
    await slack?.close();
    await emulator?.close();
  });

  test('answers a signed /lma command, then stops on SIGTERM with exit code 0', async () => {
    const ack = await driver.command('renewals 30', { user: USER, channel: CHANNEL });
    expect(ack.status).toBe(200);
    const [answer] = await driver.responses(ack.responseUrl, 1, 15_000);
    expect(String(answer!.body.text)).toContain('Renewals in the next 30 days');
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines.some((l) => l.includes('SIGTERM received'))).toBe(true);
  });
});
