/**
 * The bot on real permissions: an integration user who cannot read some fields (field-level security) or objects,
 * played by the embedded LMO (`visibility`), through the real Bolt app and jsforce. The bot describes what it reads
 * on connect and at each catalog refresh, never per answer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, blockText, type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const describes = (harness: Harness) =>
  (harness.bot.emulator?.log ?? []).filter((e) => e.path.endsWith('/describe')).length;
const health = async (harness: Harness) =>
  (await (await fetch(`${harness.bot.url}/healthz`)).json()) as {
    ok: boolean;
    permissions: { missing: string[]; omitted: string[]; fix?: string; note?: string };
  };

describe('optional fields the integration user cannot read', () => {
  it('are left out of the queries with one warning, and the answers leave their facts out', async () => {
    h = await startHarness({
      embedded: { visibility: { hiddenFields: ['sfLma__Seats__c', 'Account.OwnerId'] } },
    });
    const warnings = h.logs.filter((l) => l.includes('cannot read sfLma__License__c.sfLma__Seats__c'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARN/);
    expect(warnings[0]).toContain('answers leave out seats, owner');
    expect(warnings[0]).toContain('a permission set with Read on License, Account and on the fields License: Seats');

    const describedAtStart = describes(h);
    h.resetLog();
    const renewals = await ask(h, 'renewals 30');
    const status = await ask(h, 'status Acme');
    const text = blockText([renewals.answer.blocks, status.answer.blocks]);
    expect(text).toContain('Acme Corporation');
    expect(text).not.toMatch(/seats used|owner|went wrong|rejected/i);
    // The same calls per answer as with every field readable: one each (renewals' page beside its count), no describe.
    expect(h.lmoCalls()).toBe(2);
    expect(h.soql()).toHaveLength(3);
    for (const soql of h.soql()) expect(soql).not.toMatch(/sfLma__Seats__c|Owner/);
    expect(describes(h)).toBe(describedAtStart);
    expect(h.logs.filter((l) => l.includes('cannot read sfLma__License__c.sfLma__Seats__c'))).toHaveLength(1);

    const body = await health(h);
    expect(body.ok).toBe(true);
    expect(body.permissions).toMatchObject({
      missing: [],
      omitted: ['sfLma__License__c.sfLma__Seats__c', 'Account.OwnerId'],
    });
  });

  it('are read again when the catalog refreshes: fields granted later come back into the answers', async () => {
    h = await startHarness({ catalogRefreshMs: 100, embedded: { visibility: { hiddenFields: ['sfLma__Seats__c'] } } });
    expect(blockText((await ask(h, 'renewals 30')).answer.blocks)).not.toContain('seats used');
    h.bot.emulator!.setVisibility({});
    // Refreshes run every 100 ms: wait for the one that reads the field again, however slow the machine.
    await vi.waitFor(async () => expect((await health(h!)).permissions.omitted).toEqual([]), {
      timeout: 60_000,
      interval: 50,
    });
    expect(h.logs.some((l) => l.includes('can now read every field the bot reads'))).toBe(true);
    expect(blockText((await ask(h, 'renewals 30')).answer.blocks)).toContain('seats used');
  }, 120_000);
});

describe('a field or object no answer can do without', () => {
  it('makes /healthz, the log and every answer say which and how to grant it, without querying', async () => {
    h = await startHarness({ embedded: { visibility: { hiddenFields: ['sfLma__License__c.sfLma__Status__c'] } } });
    const fix =
      "The LMO's integration user cannot read sfLma__License__c.sfLma__Status__c, which every answer needs. Grant a " +
      'permission set with Read on License and on the fields License: Status';
    expect(h.logs.some((l) => l.includes('ERROR') && l.includes(fix))).toBe(true);
    h.resetLog();
    for (const command of ['trials', 'renewals 30', 'status Acme', 'conversions 30']) {
      const { answer } = await ask(h, command);
      expect(answer.text, command).toContain(fix);
    }
    expect(h.soql()).toEqual([]);
    const body = await health(h);
    expect(body.ok).toBe(false);
    expect(body.permissions.missing).toEqual(['sfLma__License__c.sfLma__Status__c']);
    expect(body.permissions.fix).toContain(fix);
  });

  it('an object the user cannot read at all: the package names', async () => {
    h = await startHarness({ embedded: { visibility: { hiddenObjects: ['sfLma__Package__c'] } } });
    const { answer } = await ask(h, 'trials');
    expect(answer.text).toContain('cannot read sfLma__Package__c, which every answer needs');
    expect(answer.text).toContain('Read on Package');
  });

  it('a lead object hidden is optional: trials of unconverted leads show without their company', async () => {
    h = await startHarness({ embedded: { visibility: { hiddenObjects: ['Lead'] } } });
    const { answer } = await ask(h, 'trials');
    expect(answer.text).not.toMatch(/cannot read|went wrong/);
    expect((await health(h)).permissions.omitted).toEqual(['Lead']);
  });
});
