/**
 * Slack-formatting injection: a customer in the LMO named "<!channel> *Evil* <@U123> <http://evil.example|click>"
 * is shown as text in every view that can name it (slash answers, thread answers, the digest): never a broadcast,
 * a mention, a link or bold. Only links the bot makes itself (to LMO records, to its own channels) may appear.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { ask, CHANNEL, type Harness, startHarness, USER } from '../support/harness.js';

const DIGEST_CHANNEL = 'C0SALES';
const HOSTILE_PARTS = ['<!channel>', '<@U123>', '<http://evil.example', '*Evil*'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { DIGEST_CHANNEL, DIGEST_CRON: '0 18 * * *' } });
});
afterAll(async () => h?.close());

/** The fallback text and every mrkdwn text of a message: what Slack formats. */
function formattedTexts(message: { text?: unknown; blocks?: unknown }): string[] {
  const out = [String(message.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(message.blocks);
  return out;
}

/** Markup Slack would act on that the bot did not make: `<…>` other than its LMO links and channel links. */
function foreignMarkup(message: { text?: unknown; blocks?: unknown }): string[] {
  const lmo = h.bot.emulator!.url;
  return formattedTexts(message).flatMap((text) => [
    ...[...text.matchAll(/<[^>]*>/g)]
      .map((m) => m[0])
      .filter((tag) => !tag.startsWith(`<${lmo}/`) && !/^<#C[A-Z0-9]+>$/.test(tag)),
    ...HOSTILE_PARTS.filter((part) => text.includes(part)),
  ]);
}

test('a hostile customer name is inert text in slash answers, thread answers and the digest', async () => {
  const views: { where: string; message: { text?: unknown; blocks?: unknown } }[] = [];
  // Plus one usage error and help: the bot's own "<customer>" placeholders must be escaped as well.
  for (const command of ['status Evil', 'renewals 30', 'seats', 'help', 'status channel']) {
    const { answer } = await ask(h, command);
    views.push({ where: `/lma ${command}`, message: answer });
  }
  for (const question of ['what is the status of Evil?', 'renewals in the next 30 days']) {
    const { message } = await h.driver.say(`<@${h.slack.identity.botUserId}> ${question}`, {
      user: USER,
      channel: CHANNEL,
    });
    const [reply] = await h.slack.waitFor(() => {
      const replies = h.slack.thread(CHANNEL, message.ts).filter((m) => m.bot_id !== undefined);
      return replies.length > 0 ? replies : undefined;
    }, 10_000);
    views.push({ where: `thread: ${question}`, message: reply! });
  }
  const ack = await h.driver.command('digest post', { user: USER, channel: CHANNEL });
  await h.driver.responses(ack.responseUrl, 1, 15_000);
  for (const m of h.slack.messages(DIGEST_CHANNEL).filter((m) => m.bot_id !== undefined))
    views.push({ where: 'digest', message: m });

  // The hostile customer is in each kind of view (escaped), so the check below is not vacuous.
  const naming = views.filter((v) => formattedTexts(v.message).some((t) => t.includes('&lt;!channel&gt;')));
  const offending = views
    .map((v) => ({ where: v.where, markup: foreignMarkup(v.message) }))
    .filter((v) => v.markup.length > 0);
  await recordFigures('formattingInjection', {
    views: views.length,
    viewsNamingTheHostileCustomer: naming.length,
    activeMarkup: offending.length,
  });
  expect(naming.map((v) => v.where)).toEqual(
    expect.arrayContaining(['/lma status Evil', '/lma renewals 30', 'thread: what is the status of Evil?', 'digest']),
  );
  expect(offending).toEqual([]);
});
