/**
 * `/lma` end to end: signed slash commands through the real Bolt HTTP receiver, real jsforce to the embedded LMO
 * (fixed dataset, today 2026-06-15 UTC), answers read from the fake Slack's response_url.
 */

import { signSlackRequest } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays } from '../../../src/lma/dates.js';
import { ask, blockText, CHANNEL, type Harness, startHarness, tableRows, USER } from '../../support/harness.js';
import { LICENSE, lmoFixture, TODAY } from '../../support/lmo-fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** Customers listed in an answer's mrkdwn lines, in order, from the record links. */
const linkedCustomers = (blocks: unknown) => [...blockText(blocks).matchAll(/\/view\|([^>]+)>/g)].map((m) => m[1]);

const tableRowsRaw = (blocks: unknown[]) => blocks.filter((b) => (b as { type: string }).type === 'table');

/** Customers listed in an answer's table, in order. */
const customersIn = (blocks: unknown) => tableRows(blocks).map(([customer]) => customer);

describe('renewals', () => {
  test('lists paid licenses expiring from today to day 30, soonest first, in one call', async () => {
    h.resetLog();
    const { ack, answer } = await ask(h, 'renewals 30');
    expect(ack.status).toBe(200);
    expect(answer.response_type).toBe('ephemeral');
    // Day 0 (Acme), day 5 (Globex site license), day 20, day 30 (Acme Labs); not day 31, the sandbox, perpetual ones,
    // nor the suspended or uninstalled licenses.
    expect(customersIn(answer.blocks)).toEqual([
      'Acme Corporation',
      'Globex',
      '<!channel> *Evil* <@U123> <http://evil.example|click>',
      'Acme Labs',
    ]);
    expect(blockText(answer.blocks)).toContain('*4 paid licenses*');
    expect(blockText(answer.blocks)).toContain('73 seats + 1 site license');
    // The page (its rows and one more) and, beside it, the window's count and per-seat aggregate, which serve a window
    // longer than the page: one call.
    expect(h.soql()).toHaveLength(3);
    expect(h.lmoCalls()).toBe(1);
  });

  test('day 31 comes in with a 31-day window', async () => {
    const { answer } = await ask(h, 'renewals 31');
    expect(customersIn(answer.blocks)).toContain('Globex');
    expect(blockText(answer.blocks)).toContain('*5 paid licenses*');
  });

  test('defaults to 30 days and marks the ones within 7 days as urgent', async () => {
    const { answer } = await ask(h, 'renewals');
    const text = blockText(answer.blocks);
    expect(text).toContain('Renewals in the next 30 days');
    const [acme] = tableRows(answer.blocks);
    expect(acme).toEqual([
      'Acme Corporation',
      'Invoicer 2.1.0',
      '45 of 50 seats used',
      'Mon 15 Jun 2026',
      '0',
      'Ann Owner',
    ]);
    expect(JSON.stringify(answer.blocks)).toMatch(
      /"emoji","name":"warning"\},\{"type":"text","text":" "\},\{"type":"link","url":"[^"]+","text":"Acme Corporation"/,
    );
  });

  test('filters by package with package: or a trailing package name', async () => {
    for (const text of ['renewals 30 package:Scheduler', 'renewals 30 scheduler pro']) {
      const { answer } = await ask(h, text);
      expect(customersIn(answer.blocks)).toEqual(['Globex']);
    }
  });

  test('links each license to its record in the LMO', async () => {
    const { answer } = await ask(h, 'renewals 30');
    expect(JSON.stringify(tableRowsRaw(answer.blocks))).toContain(
      `"url":"${h.bot.emulator!.url}/lightning/r/sfLma__License__c/${LICENSE(1)}/view"`,
    );
  });

  test('an LMO customer name is shown as text, never as a mention or a link', async () => {
    const { answer } = await ask(h, 'renewals 30');
    // In the table it is a link's label, which Slack never reads as markup; in mrkdwn (the fallback text) it is escaped.
    const cells = JSON.stringify(answer.blocks.filter((b) => (b as { type: string }).type === 'table'));
    expect(cells).toContain('"type":"link","url":"');
    const mrkdwn = JSON.stringify({
      ...answer,
      blocks: answer.blocks.filter((b) => (b as { type: string }).type !== 'table'),
    });
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<@U123>');
    expect(mrkdwn).not.toContain('<http://evil.example');
  });

  test('Share in channel posts the same answer for everyone', async () => {
    const { answer } = await ask(h, 'renewals 30');
    const click = await h.driver.click({ blocks: answer.blocks, ephemeral: true }, 'lma_share', {
      user: USER,
      channel: CHANNEL,
    });
    expect(click.status).toBe(200);
    const [shared] = await h.driver.responses(click.responseUrl);
    expect(shared.body.response_type).toBe('in_channel');
    expect(String(shared.body.text)).toContain(`<@${USER}> shared`);
    const posted = h.slack.messages(CHANNEL).filter((m) => !m.ephemeralTo);
    expect(posted.some((m) => blockText(m.blocks).includes('Acme Labs'))).toBe(true);
  });
});

describe('trials', () => {
  test('lists trials on now, soonest first, and counts trials expired unconverted in 30 days, in one call', async () => {
    h.resetLog();
    const { answer } = await ask(h, 'trials');
    expect(customersIn(answer.blocks)).toEqual(['Initech', 'Acme Corporation']);
    expect(blockText(answer.blocks)).toContain('1 trial expired without converting in the last 30 days');
    // The page (its rows and one more), the count on now and the expired count, side by side.
    expect(h.soql()).toHaveLength(3);
    expect(h.lmoCalls()).toBe(1);
  });

  test('with N, only trials expiring within N days', async () => {
    const { answer } = await ask(h, 'trials 5');
    expect(tableRows(answer.blocks)).toEqual([
      ['Initech', 'Invoicer 2.1.0', '3 of 10 seats used', 'Tue 16 Jun 2026', '1', 'Ann Owner'],
    ]);
  });
});

describe('conversions', () => {
  test('lists Trial→Active changes in the window with the conversion rate, in three queries of one call', async () => {
    h.resetLog();
    const { answer } = await ask(h, 'conversions 30');
    const text = blockText(answer.blocks);
    expect(linkedCustomers(answer.blocks)).toEqual(['Acme Corporation', 'Acme Labs']);
    expect(text).toContain('*2 trials* converted to paid');
    expect(text).toContain('1 trial ended unconverted');
    expect(text).toContain('conversion rate *67%*');
    // The status changes lean and the newest of them with their licenses, beside the expired trials' count.
    expect(h.soql()).toHaveLength(3);
  });

  test('over 2,000 status changes: the first answer reads the older ones too and keeps their finished days in the store; the next is one call, the same answer', async () => {
    const data = lmoFixture();
    for (let n = 0; n < 2_100; n++) {
      data.sfLma__License__History!.push({
        Id: `017${String(5_000 + n).padStart(12, '0')}AAA`,
        ParentId: LICENSE(1 + (n % 3)),
        Field: 'sfLma__Status__c',
        OldValue: n % 2 ? 'Trial' : 'Active',
        NewValue: n % 2 ? 'Active' : 'Suspended',
        DataType: 'Text',
        CreatedDate: `${addDays(TODAY, -1 - (n % 20))}T12:00:00.000Z`,
      });
    }
    const busy = await startHarness({ data });
    try {
      busy.resetLog();
      const first = await ask(busy, 'conversions 30');
      expect(blockText(first.answer.blocks)).toContain('*1,052 trials* converted to paid');
      expect(busy.lmoCalls()).toBe(2);
      busy.resetLog();
      const second = await ask(busy, 'conversions 30');
      expect(second.answer.blocks).toEqual(first.answer.blocks);
      expect(busy.lmoCalls()).toBe(1);
    } finally {
      await busy.close();
    }
  });

  test('without field history tracking, says how to enable it and what it can still tell', async () => {
    const noHistory = await startHarness({ embedded: { historyTracked: false } });
    try {
      const { answer } = await ask(noHistory, 'conversions');
      const text = blockText(answer.blocks);
      expect(text).toContain('does not track field history');
      expect(text).toContain('Set History Tracking');
      expect(text).toContain('*1 trial* expired without converting');
    } finally {
      await noHistory.close();
    }
  });
});

describe('status', () => {
  test('an exact account name lists every license of that customer', async () => {
    h.resetLog();
    const { answer } = await ask(h, 'status Acme Corporation');
    const text = blockText(answer.blocks);
    expect(text).toContain('Acme Corporation');
    expect(text).toContain('Invoicer 2.1.0');
    expect(text).toContain('Scheduler Pro 1.0.0');
    expect(text).toContain('45 of 50 seats used');
    expect(text).toContain('Account owner: Ann Owner');
    expect(text).toContain('Production · Enterprise Edition · NA135');
    expect(h.soql()).toHaveLength(1);
  });

  test('a lead company, a subscriber org id (15 and 18 chars) and a license id find the customer', async () => {
    for (const term of ['Initech', '00D000000000009', '00D000000000009XYZ', LICENSE(9)]) {
      const { answer } = await ask(h, `status ${term}`);
      expect(blockText(answer.blocks)).toContain('Initech');
      expect(blockText(answer.blocks)).toContain('Lead owner: Ann Owner');
    }
  });

  test('site, perpetual and sandbox licenses read as such', async () => {
    const globex = blockText((await ask(h, 'status Globex')).answer.blocks);
    expect(globex).toContain('site license');
    expect(globex).toContain('Sandbox');
    const stark = blockText((await ask(h, 'status Stark')).answer.blocks);
    expect(stark).toContain('does not expire');
  });

  test('several matching customers → a list to choose from, and a pick answers for that customer', async () => {
    const { answer } = await ask(h, 'status acme');
    expect(blockText(answer.blocks)).toContain('2 customers match');
    const pick = await h.driver.click({ blocks: answer.blocks, ephemeral: true }, 'lma_pick_customer_1', {
      user: USER,
      channel: CHANNEL,
    });
    const [picked] = await h.driver.responses(pick.responseUrl);
    expect(blockText(picked.body.blocks)).toContain('Acme Labs');
    expect(blockText(picked.body.blocks)).toContain('25 of 20 seats used');
  });

  test('no match → says so and suggests close names', async () => {
    const { answer } = await ask(h, 'status Globx');
    expect(answer.text).toContain('No customer matches "Globx"');
    expect(answer.text).toContain('Did you mean Globex');
  });
});

describe('help and bad input', () => {
  test('help shows real examples and the LMO in use', async () => {
    for (const text of ['', 'help']) {
      const { answer } = await ask(h, text);
      const help = blockText(answer.blocks);
      expect(help).toContain('/lma renewals 60 package:Invoicer');
      expect(help).toContain('embedded demo LMO (Fixture ISV)');
    }
  });

  test.each([
    ['renewals abc', 'abc'],
    ['trials -5', '-5'],
    ['renewals 99999', '99999'],
    ['renewls 30', 'renewals'],
    [`status ${'x'.repeat(600)}`, '500'],
  ])('`/lma %s` → a short usage explanation, nothing queried', async (text, mention) => {
    h.resetLog();
    const { answer } = await ask(h, text);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(mention);
    expect(h.soql()).toHaveLength(0);
  });
});

describe('time zone', () => {
  test('"today" is the configured zone’s date: in Auckland at 01:00 on 16 June, the 15 June renewal has passed', async () => {
    const auckland = await startHarness({
      env: { LMA_TIMEZONE: 'Pacific/Auckland' },
      now: new Date('2026-06-15T13:00:00Z'),
    });
    try {
      const { answer } = await ask(auckland, 'renewals 30');
      expect(customersIn(answer.blocks)).not.toContain('Acme Corporation');
      expect(blockText(answer.blocks)).toContain('Tue 16 Jun 2026');
    } finally {
      await auckland.close();
    }
  });
});

describe('who may ask', () => {
  test('a user outside LMA_ALLOWED_USERS gets a refusal that names no data, and nothing is queried', async () => {
    const locked = await startHarness({ env: { LMA_ALLOWED_USERS: 'U0BOB' } });
    try {
      locked.resetLog();
      const { answer } = await ask(locked, 'renewals 30');
      expect(answer.text).toContain('only available to the people and channels');
      expect(JSON.stringify(answer)).not.toContain('Acme');
      expect(locked.soql()).toHaveLength(0);
    } finally {
      await locked.close();
    }
  });

  test('a channel outside LMA_ALLOWED_CHANNELS is refused; an allowed one is answered', async () => {
    const locked = await startHarness({ env: { LMA_ALLOWED_CHANNELS: 'C0SALES' } });
    try {
      expect((await ask(locked, 'trials')).answer.text).toContain('only available');
      expect(blockText((await ask(locked, 'trials', { channel: 'C0SALES' })).answer.blocks)).toContain('Initech');
    } finally {
      await locked.close();
    }
  });
});

describe('request authenticity', () => {
  const body = new URLSearchParams({
    command: '/lma',
    text: 'renewals 30',
    user_id: USER,
    channel_id: CHANNEL,
    response_url: 'http://127.0.0.1:9/nowhere',
  }).toString();
  const post = (headers: Record<string, string>) =>
    fetch(`${h.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  test('unsigned, wrongly signed and stale requests get 401 and reach no handler', async () => {
    h.resetLog();
    const stale = signSlackRequest('test-signing-secret-0123456789', body, Math.floor(Date.now() / 1000) - 600);
    const wrong = signSlackRequest('another-secret', body);
    for (const headers of [{}, wrong, stale]) expect((await post(headers)).status).toBe(401);
    expect(h.soql()).toHaveLength(0);
  });
});
