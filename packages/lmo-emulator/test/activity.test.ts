import { describe, expect, it } from 'vitest';
import { simulateOne } from '../src/activity.js';
import { generateDemoData, mulberry32 } from '../src/demo-data.js';
import { Org } from '../src/org.js';
import { buildSchema } from '../src/schema.js';
import { RecordWriter } from '../src/writes.js';

describe('simulated activity (--activity)', () => {
  it('makes every kind of license change through record writes, stamping and tracking them as real ones', () => {
    const schema = buildSchema({ lmaInstalled: true });
    const org = new Org(schema, generateDemoData({ today: '2026-06-15', seed: 42, licenses: 200 }));
    let now = new Date('2026-06-15T10:00:00.000Z');
    const writer = new RecordWriter(org, () => now, '005000000000001AAA');
    const random = mulberry32(3);
    const historyBefore = org.records('sfLma__License__History').length;
    const licensesBefore = org.records('sfLma__License__c').length;
    const kinds = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      now = new Date(now.getTime() + 10_000);
      const done = simulateOne(org, writer, random, now);
      if (done) kinds.set(done.kind, (kinds.get(done.kind) ?? 0) + 1);
    }
    expect([...kinds.keys()].sort()).toEqual(
      ['conversion', 'reactivation', 'seats', 'suspension', 'trial', 'uninstall', 'upgrade'].sort(),
    );
    expect(org.records('sfLma__License__c').length).toBe(licensesBefore + (kinds.get('trial') ?? 0));
    // A history row per tracked change (upgrades change an untracked field) and per new license.
    const tracked = [...kinds].filter(([k]) => k !== 'upgrade').reduce((sum, [, n]) => sum + n, 0);
    expect(org.records('sfLma__License__History').length - historyBefore).toBeGreaterThanOrEqual(tracked);
    const stamped = org
      .records('sfLma__License__c')
      .filter((l) => String(l.SystemModstamp ?? '').startsWith('2026-06-15'));
    expect(stamped.length).toBeGreaterThan(100);
  });
});
