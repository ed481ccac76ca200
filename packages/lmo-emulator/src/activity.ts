/**
 * Simulated license activity (`npm run lmo -- --activity N`, and the bot's local sandbox): N license events a minute —
 * new trials, conversions, uninstalls, seat changes, upgrades, suspensions and reactivations — made through the same
 * record writes as the REST API (writes.ts), so they stamp SystemModstamp and write history as real changes do, and a
 * newcomer sees alerts arrive live.
 */

import type { Org } from './org.js';
import type { SObjectRecord } from './schema.js';
import { addDays, dateInZone } from './soql/dates.js';
import type { RecordWriter } from './writes.js';

export type ActivityKind = 'trial' | 'conversion' | 'uninstall' | 'seats' | 'upgrade' | 'suspension' | 'reactivation';

/** How often each kind happens, out of 100: mostly trials and conversions, as in a growing ISV's LMO. */
const WEIGHTS: [ActivityKind, number][] = [
  ['trial', 35],
  ['conversion', 15],
  ['uninstall', 10],
  ['seats', 15],
  ['upgrade', 15],
  ['suspension', 5],
  ['reactivation', 5],
];

const LICENSE = 'sfLma__License__c';

/** The kind whose share of the 100 holds `roll`. */
function pickWeighted(roll: number): ActivityKind {
  let total = 0;
  for (const [kind, weight] of WEIGHTS) {
    total += weight;
    if (roll < total) return kind;
  }
  return 'trial';
}

/** One simulated change; returns what it did, or undefined when the org had no license to do it to. */
export function simulateOne(
  org: Org,
  writer: RecordWriter,
  random: () => number,
  now: Date,
): { kind: ActivityKind; id: string } | undefined {
  const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
  const licenses = org.records(LICENSE);
  const withStatus = (status: string) => licenses.filter((l) => l.sfLma__Status__c === status);
  const today = dateInZone(now.getTime(), 'UTC');
  const kind = pickWeighted(random() * 100);
  const update = (license: SObjectRecord | undefined, fields: Record<string, unknown>) => {
    if (!license) return undefined;
    writer.update(LICENSE, license.Id, fields);
    return { kind, id: license.Id };
  };
  switch (kind) {
    case 'trial': {
      const template = pick(licenses.filter((l) => l.sfLma__Lead__c && l.sfLma__Package__c));
      if (!template) return undefined;
      const id = writer.create(LICENSE, {
        sfLma__Status__c: 'Trial',
        sfLma__Lead__c: template.sfLma__Lead__c,
        sfLma__Package__c: template.sfLma__Package__c,
        sfLma__Package_Version__c: template.sfLma__Package_Version__c ?? null,
        sfLma__Version_Number__c: template.sfLma__Version_Number__c ?? null,
        sfLma__Seats__c: 10,
        sfLma__Used_Licenses__c: 1,
        sfLma__Install_Date__c: today,
        sfLma__Expiration__c: addDays(today, 30),
      });
      return { kind, id };
    }
    case 'conversion':
      return update(pick(withStatus('Trial')), {
        sfLma__Status__c: 'Active',
        sfLma__Seats__c: pick([10, 25, 50, 100]) ?? 25,
        sfLma__Expiration__c: addDays(today, 365),
      });
    case 'uninstall':
      return update(pick(withStatus('Active')), { sfLma__Status__c: 'Uninstalled' });
    case 'seats': {
      const license = pick(
        withStatus('Active').filter((l) => typeof l.sfLma__Seats__c === 'number' && l.sfLma__Seats__c > 0),
      );
      const seats = Number(license?.sfLma__Seats__c ?? 0);
      return update(license, { sfLma__Seats__c: Math.max(1, seats + (random() < 0.7 ? 5 : -5)) });
    }
    case 'upgrade': {
      const license = pick(licenses.filter((l) => /^\d+\.\d+(\.\d+)?$/.test(String(l.sfLma__Version_Number__c ?? ''))));
      const [major, minor] = String(license?.sfLma__Version_Number__c ?? '1.0')
        .split('.')
        .map(Number);
      return update(license, { sfLma__Version_Number__c: `${major}.${minor + 1}.0` });
    }
    case 'suspension':
      return update(pick(withStatus('Active')), { sfLma__Status__c: 'Suspended' });
    case 'reactivation':
      return update(pick(withStatus('Suspended')), { sfLma__Status__c: 'Active' });
  }
}
