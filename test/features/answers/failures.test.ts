/**
 * Every failure a user can meet while asking ends in an ephemeral message that says what happened and what to do.
 */

import { type EmulatorHandle, startEmulator } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ask, type Harness, startHarness } from '../../support/harness.js';
import { lmoFixture } from '../../support/lmo-fixture.js';

let h: Harness | undefined;
let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await h?.close();
  await emulator?.close();
  h = emulator = undefined;
});

describe('LMO failures', () => {
  test('LMO unreachable (every call 503) → "LMO unreachable, try again", after bounded retries', async () => {
    h = await startHarness({ env: { LMO_RETRIES: '2' } });
    h.bot.emulator!.setFaults({ unavailableRate: 1 });
    const before = h.bot.emulator!.log.length;
    const { answer } = await ask(h, 'renewals 30');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('LMO unreachable');
    expect(answer.text).toContain('Try again');
    // One try and two retries: bounded, no storm.
    expect(h.bot.emulator!.log.slice(before).filter((e) => e.status === 503)).toHaveLength(3);
  });

  test('a hanging LMO → a timeout message, not silence', async () => {
    h = await startHarness({ env: { LMO_TIMEOUT_MS: '200', LMO_RETRIES: '1' } });
    h.bot.emulator!.setFaults({ hangRate: 1 });
    const { answer } = await ask(h, 'trials');
    expect(answer.text).toContain('did not answer in time');
  });

  test('REQUEST_LIMIT_EXCEEDED → a clear message, and no retry', async () => {
    h = await startHarness();
    h.bot.emulator!.setFaults({ requestLimitExceeded: true });
    const before = h.bot.emulator!.log.length;
    const { answer } = await ask(h, 'renewals 30');
    expect(answer.text).toContain('daily Salesforce API requests');
    expect(h.bot.emulator!.log.length - before).toBe(1);
    // The quota is spent: the next question does not call Salesforce at all.
    await ask(h, 'trials');
    expect(h.bot.emulator!.log.length - before).toBe(1);
  });

  test('expired credentials that cannot be renewed → tells the admin to re-authenticate', async () => {
    emulator = await startEmulator({ data: lmoFixture() });
    h = await startHarness({ env: { SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: 'an-expired-session-token-123' } });
    const { answer } = await ask(h, 'renewals 30');
    expect(answer.text).toContain('re-authenticate');
    expect(JSON.stringify(answer)).not.toContain('an-expired-session-token-123');
    expect(h.logs.join('\n')).not.toContain('an-expired-session-token-123');
  });

  test('a forced session expiry is renewed without the user noticing', async () => {
    h = await startHarness();
    await ask(h, 'trials');
    h.bot.emulator!.expireSessions();
    const { answer } = await ask(h, 'renewals 30');
    expect(answer.text).toContain('Renewals in the next 30 days');
  });

  test('an org without the LMA → says so and points at /lma install', async () => {
    h = await startHarness({ embedded: { lmaInstalled: false } });
    const { answer } = await ask(h, 'renewals 30');
    expect(answer.text).toContain('no License Management App');
    expect(answer.text).toContain('/lma install');
  });
});

describe('acknowledgement', () => {
  test('the command is acknowledged while the LMO has not answered yet', async () => {
    // The LMO holds every query until it is told to stop: no timer decides the order below.
    h = await startHarness({ env: { LMO_RETRIES: '0' } });
    const lmo = h.bot.emulator!;
    const start = lmo.log.length;
    lmo.setFaults({ hangRate: 1 });
    const ack = await h.driver.command('renewals 30', { user: 'U0ALICE', channel: 'C0GENERAL' });
    expect(ack.status).toBe(200);
    expect(h.slack.responses(ack.responseUrl)).toHaveLength(0);
    // The query reaches the LMO after the ack and is still unanswered there: the ack did not wait for it.
    await vi.waitFor(() => expect(lmo.log.slice(start).some((e) => /\/(query|composite)$/.test(e.path))).toBe(true));
    expect(lmo.log.slice(start).every((e) => e.status === 0)).toBe(true);
    expect(h.slack.responses(ack.responseUrl)).toHaveLength(0);
    // The LMO goes away: the answer that comes after says so.
    await lmo.close();
    const [answer] = await h.driver.responses(ack.responseUrl, 1, 10_000);
    expect(String(answer.body.text)).toContain('LMO unreachable');
  });
});

describe('health', () => {
  test('GET /healthz reports the LMO connection and no secrets', async () => {
    h = await startHarness();
    await ask(h, 'trials');
    const res = await fetch(`${h.bot.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, lmo: 'connected', lmoName: 'embedded demo LMO (Fixture ISV)' });
    const text = JSON.stringify(body);
    for (const secret of ['xoxb-test', 'test-signing-secret', h.bot.emulator!.accessToken])
      expect(text).not.toContain(secret);
  });
});
