/**
 * Seat health through the real Bolt app and jsforce against the embedded LMO, on a fixture built to sit on each
 * list's boundaries (test/features/health/health-fixture.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ask, blockText, CHANNEL, type Harness, startHarness, USER } from '../../support/harness.js';
import { botMention, waitForBotReplies } from '../threads/thread-support.js';
import { EXPECTED, healthFixture } from './health-fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ data: healthFixture() });
});
afterAll(async () => h?.close());

/** The customers named in one list's rows, in order (rows are `*<link|Name>* · …`). */
function namesIn(text: string, title: string, next?: string): string[] {
  const start = text.indexOf(`*${title}:`);
  const end = next ? text.indexOf(`*${next}:`) : text.indexOf('LMO:');
  return [...text.slice(start, end).matchAll(/\*<[^|]+\|([^>]+)>\*/g)].map((m) => m[1]);
}

describe('/lma health', () => {
  test('three lists with their definitions, counts and thresholds; at most two LMO calls each, one once known small', async () => {
    h.resetLog();
    const { answer } = await ask(h, 'health');
    const text = blockText(answer.blocks);
    expect(namesIn(text, 'Over their seats', 'At risk')).toEqual(EXPECTED.over);
    expect(namesIn(text, 'At risk', 'Hot trials')).toEqual(EXPECTED.risk);
    expect(namesIn(text, 'Hot trials')).toEqual(EXPECTED.hot);
    expect(text).toContain('*Over their seats: 2*, per-seat licenses (active or trial) using more seats than bought');
    expect(text).toContain(
      '*At risk: 2*, paid licenses renewing in the next 90 days (Mon 15 Jun 2026 – Sun 13 Sept 2026)',
    );
    expect(text).toContain(
      'using under 30% of their seats, soonest first. Site licenses are excluded (2 site licenses',
    );
    expect(text).toContain('*Hot trials: 3*, trials on now with seats in use');
    expect(text).toContain(
      'within 90 days (`HEALTH_RENEWAL_DAYS`) using under 30% of the seats bought (`HEALTH_LOW_USE`)',
    );
    expect(text).toContain('29 of 100 seats used (29%)');
    expect(answer.text).toBe('Over their seats: 2; At risk: 2; Hot trials: 3.');
    // The first answer learns how long the lists are: an aggregate and the list for each of the two, hot trials its
    // rows and their count; the lists' steps side by side, in two composite calls.
    expect(h.soql()).toHaveLength(6);
    expect(h.lmoCalls()).toBe(2);
    h.resetLog();
    const again = await ask(h, 'health');
    expect(again.answer.text).toBe(answer.text);
    // Known small: a look for each of the two, and hot trials' rows and count, in one call.
    expect(h.soql()).toHaveLength(4);
    expect(h.lmoCalls()).toBe(1);
  });

  test('a package narrows every list', async () => {
    const { answer } = await ask(h, 'health Scheduler');
    const text = blockText(answer.blocks);
    expect(text).toContain('packages matching “Scheduler Pro”');
    expect(answer.text).toBe('Over their seats: 0; At risk: 0; Hot trials: 1.');
  });

  test('anything else after it is refused with the usage', async () => {
    const { answer } = await ask(h, 'health everything');
    // Slack would read backticks typed by the person as code: they come back as look-alikes.
    expect(answer.text).toContain('ˋeverythingˋ is not a package I know');
    expect(answer.text).toContain('/lma health [package]');
  });
});

describe('seat health in a thread', () => {
  // Queries: over and at risk, known small, one look; hot trials its rows and their count, side by side.
  test.each([
    ['who is over their seats?', 'Over their seats', EXPECTED.over, 1],
    ['who is at risk?', 'At risk', EXPECTED.risk, 1],
    ['which trials are hot?', 'Hot trials', EXPECTED.hot, 2],
  ])('“%s” answers that one list, for everyone, with one LMO call', async (question, title, names, queries) => {
    h.resetLog();
    const { message } = await h.driver.say(`${botMention(h)} ${question}`, { user: USER, channel: CHANNEL });
    const [reply] = await waitForBotReplies(h, CHANNEL, message.ts);
    const text = blockText(reply.blocks);
    expect(namesIn(text, title)).toEqual(names);
    expect(reply.text).toBe(`${title}: ${names.length}.`);
    expect(h.soql()).toHaveLength(queries);
    expect(h.lmoCalls()).toBe(1);
  });
});
