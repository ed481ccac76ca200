/**
 * `npm run build && node --conditions=@lma-bot/source --import tsx bench/rss.ts [commands]`: the bot's resident memory
 * after a warm-up, compiled (`node dist/index.js`, as production runs it) against under tsx (`npm start`), each in HTTP
 * mode against the same local Slack and embedded LMO, answering the same `/lma` commands one at a time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';
import { todayIn } from '../src/lma/dates.js';
import { readMemory } from './processes.js';

const ROOT = resolve(import.meta.dirname, '..');
const BOT_TOKEN = 'xoxb-rss-bot-token-0123456789';
const SIGNING_SECRET = 'rss-signing-secret-0123456789';
const USER = 'U0RSS';
const CHANNEL = 'C0GENERAL';
const COMMANDS = ['trials', 'renewals 30', 'conversions last month', 'seats', 'status Globex'];
/** After the warm-up, a rest before reading RSS: the collector runs and the answers' buffers are released. */
const REST_MS = 3_000;

const VARIANTS = {
  compiled: [join(ROOT, 'dist', 'index.js')],
  // tsx's loader by path: the bot runs in a scratch directory (no .env there), where `tsx` would not resolve.
  tsx: ['--conditions=@lma-bot/source', '--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'index.ts')],
};

const warmUp = Number(process.argv[2] ?? 200);
const slack = await startFakeSlack({
  botToken: BOT_TOKEN,
  channels: [{ id: CHANNEL, name: 'general' }],
  users: [{ id: USER, name: 'rss' }],
});
const emulator = await startEmulator({
  data: generateDemoData({ today: todayIn('UTC', new Date()) }),
  timezone: 'UTC',
});
const results: Record<string, { rssMb: number; peakMb: number }> = {};
try {
  for (const [name, args] of Object.entries(VARIANTS)) results[name] = await measure(args);
} finally {
  await slack.close();
  await emulator.close();
}
console.log(`RSS after ${warmUp} /lma commands and a ${REST_MS / 1000} s rest (MB):`);
for (const [name, m] of Object.entries(results))
  console.log(`  ${name.padEnd(8)} rss ${m.rssMb.toFixed(1)}  peak ${m.peakMb.toFixed(1)}`);

async function measure(args: string[]): Promise<{ rssMb: number; peakMb: number }> {
  const child = spawn(process.execPath, args, {
    cwd: mkdtempSync(join(tmpdir(), 'lma-rss-')),
    env: {
      PATH: process.env.PATH ?? '',
      DOTENV_CONFIG_PATH: '/nonexistent/.env',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SF_INSTANCE_URL: emulator.url,
      SF_ACCESS_TOKEN: emulator.accessToken,
      PORT: '0',
      LMA_TIMEZONE: 'UTC',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  try {
    const appUrl = await new Promise<string>((done, fail) => {
      let out = '';
      const read = (chunk: Buffer) => {
        out += chunk.toString();
        const url = /listening for Slack on (http:\/\/\S+\/slack\/events)/.exec(out)?.[1];
        if (url) done(url);
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void exited.then(() => fail(new Error(`the bot exited during start-up:\n${out}`)));
    });
    const driver = new SlackDriver({ appUrl, signingSecret: SIGNING_SECRET, slack });
    for (let i = 0; i < warmUp; i++) {
      const ack = await driver.command(COMMANDS[i % COMMANDS.length]!, { user: USER, channel: CHANNEL });
      await driver.responses(ack.responseUrl, 1, 15_000);
    }
    await new Promise((done) => setTimeout(done, REST_MS));
    return readMemory(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
