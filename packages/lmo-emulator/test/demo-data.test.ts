import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_LICENSES, generateDemoData } from '../src/demo-data.js';
import { validateOrgData } from '../src/load-data.js';
import type { OrgData, SObjectRecord } from '../src/schema.js';
import { buildSchema } from '../src/schema.js';

const TODAY = '2026-11-29';
const schema = buildSchema({ lmaInstalled: true });
const demo = generateDemoData({ today: TODAY });
const licenses = demo.sfLma__License__c;
const history = demo.sfLma__License__History;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

const str = (record: SObjectRecord, field: string) => record[field] as string | null;
const isPerpetual = (l: SObjectRecord) => l.sfLma__Expiration__c == null || l.sfLma__Expiration__c === '1970-01-01';
const withStatus = (data: OrgData, status: string) =>
  data.sfLma__License__c.filter((l) => l.sfLma__Status__c === status);

/** Paid, dated, production licenses expiring from today through today + days: the renewals question. */
function renewalsWithin(data: OrgData, days: number, today = TODAY): SObjectRecord[] {
  const until = addDays(today, days);
  return withStatus(data, 'Active').filter(
    (l) =>
      !isPerpetual(l) &&
      !l.sfLma__Subscriber_Org_Is_Sandbox__c &&
      str(l, 'sfLma__Expiration__c')! >= today &&
      str(l, 'sfLma__Expiration__c')! <= until,
  );
}

describe('generateDemoData: determinism and size', () => {
  it('gives the same data for the same seed and today', () => {
    expect(generateDemoData({ today: TODAY, seed: 7, licenses: 300 })).toEqual(
      generateDemoData({ today: TODAY, seed: 7, licenses: 300 }),
    );
  });

  it('gives different data for a different seed', () => {
    const a = generateDemoData({ today: TODAY, seed: 1, licenses: 300 });
    const b = generateDemoData({ today: TODAY, seed: 2, licenses: 300 });
    expect(a.sfLma__License__c).not.toEqual(b.sfLma__License__c);
  });

  it('defaults to seed 42 and the default number of licenses', () => {
    expect(licenses).toHaveLength(DEFAULT_DEMO_LICENSES);
    expect(generateDemoData({ today: TODAY, seed: 42 })).toEqual(demo);
  });

  it.each([0, 1, 17, 1000])('makes exactly %i licenses when asked', (count) => {
    expect(generateDemoData({ today: TODAY, licenses: count }).sfLma__License__c).toHaveLength(count);
  });

  it('dates everything relative to today', () => {
    const later = generateDemoData({ today: '2027-03-01' });
    expect(renewalsWithin(later, 30, '2027-03-01').length).toBeGreaterThan(0);
    expect(later.sfLma__License__c.every((l) => str(l, 'sfLma__Install_Date__c')! < '2027-03-01')).toBe(true);
  });

  it('rejects a today that is not a calendar date, and a bad license count', () => {
    expect(() => generateDemoData({ today: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => generateDemoData({ today: 'tomorrow' })).toThrow(/YYYY-MM-DD/);
    expect(() => generateDemoData({ today: TODAY, licenses: -1 })).toThrow(/licenses/);
  });
});

describe('generateDemoData: the LMO it describes', () => {
  it('has one Organization record for the LMO itself', () => {
    expect(demo.Organization).toHaveLength(1);
    expect(demo.Organization[0].Id).toMatch(/^00D[a-zA-Z0-9]{15}$/);
    expect(demo.Organization[0].Name).toBe('Demo ISV');
  });

  it('has at least three packages with several versions each, one of them a beta', () => {
    const packages = demo.sfLma__Package__c;
    expect(packages.map((p) => p.Name)).toEqual(expect.arrayContaining(['Invoicer', 'Scheduler Pro', 'Field Notes']));
    for (const pkg of packages) {
      expect(str(pkg, 'sfLma__Package_ID__c')).toMatch(/^033[a-zA-Z0-9]{15}$/);
      const versions = demo.sfLma__Package_Version__c.filter((v) => v.sfLma__Package__c === pkg.Id);
      expect(versions.length).toBeGreaterThanOrEqual(3);
      for (const v of versions) {
        expect(str(v, 'sfLma__Version_ID__c')).toMatch(/^04t[a-zA-Z0-9]{15}$/);
        expect(str(v, 'sfLma__Version_Number__c')).toMatch(/^\d+\.\d+\.\d+$/);
        expect(str(v, 'sfLma__Release_Date__c')! <= TODAY).toBe(true);
      }
      const latest = versions.filter((v) => !v.sfLma__Is_Beta__c).at(-1)!;
      expect(pkg.sfLma__Latest_Version__c).toBe(latest.sfLma__Version_Number__c);
      expect(demo.User.some((u) => u.Id === pkg.sfLma__Lead_Manager__c)).toBe(true);
    }
    expect(demo.sfLma__Package_Version__c.filter((v) => v.sfLma__Is_Beta__c)).toHaveLength(1);
  });

  it('spreads licenses over the four statuses, mostly Active and Trial, a few Suspended', () => {
    for (const seed of [42, 1, 2024]) {
      const data = generateDemoData({ today: TODAY, seed });
      const share = (status: string) => withStatus(data, status).length / data.sfLma__License__c.length;
      expect(share('Active')).toBeGreaterThan(0.45);
      expect(share('Active')).toBeLessThan(0.7);
      expect(share('Trial')).toBeGreaterThan(0.15);
      expect(share('Trial')).toBeLessThan(0.35);
      expect(share('Uninstalled')).toBeGreaterThan(0.05);
      expect(share('Uninstalled')).toBeLessThan(0.2);
      expect(share('Suspended')).toBeGreaterThan(0.01);
      expect(share('Suspended')).toBeLessThan(0.08);
    }
  });

  it('has trials still on and expired trials, none longer than 90 days', () => {
    const trials = withStatus(demo, 'Trial');
    const expired = trials.filter((l) => str(l, 'sfLma__Expiration__c')! < TODAY);
    expect(expired.length).toBeGreaterThan(10);
    expect(trials.length - expired.length).toBeGreaterThan(expired.length);
    for (const trial of trials) {
      const length = daysBetween(str(trial, 'sfLma__Install_Date__c')!, str(trial, 'sfLma__Expiration__c')!);
      expect(length).toBeGreaterThan(0);
      expect(length).toBeLessThanOrEqual(90);
    }
  });

  it('always has renewals in the next 7, 30 and 60 days, and paid expirations across the coming year', () => {
    for (const seed of [42, 3, 99, 12345]) {
      const data = generateDemoData({ today: TODAY, seed });
      const in7 = renewalsWithin(data, 7).length;
      const in30 = renewalsWithin(data, 30).length;
      const in60 = renewalsWithin(data, 60).length;
      expect(in7).toBeGreaterThan(0);
      expect(in30).toBeGreaterThan(in7);
      expect(in60).toBeGreaterThan(in30);
      for (let month = 0; month < 12; month++) {
        const from = addDays(TODAY, month * 30);
        const to = addDays(TODAY, month * 30 + 29);
        const expiring = withStatus(data, 'Active').filter(
          (l) => str(l, 'sfLma__Expiration__c')! >= from && str(l, 'sfLma__Expiration__c')! <= to,
        );
        expect(expiring.length, `paid expirations ${from}..${to}`).toBeGreaterThan(0);
      }
    }
  });

  it('has a few paid licenses that expired in the past, not yet renewed', () => {
    const lapsed = withStatus(demo, 'Active').filter((l) => !isPerpetual(l) && str(l, 'sfLma__Expiration__c')! < TODAY);
    expect(lapsed.length).toBeGreaterThan(0);
    expect(lapsed.length).toBeLessThan(withStatus(demo, 'Active').length * 0.1);
  });

  it('has perpetual licenses: null expiration and a few legacy 1970-01-01', () => {
    expect(licenses.filter((l) => l.sfLma__Expiration__c === null).length).toBeGreaterThan(5);
    const legacy = licenses.filter((l) => l.sfLma__Expiration__c === '1970-01-01');
    expect(legacy.length).toBeGreaterThan(0);
    expect(legacy.length).toBeLessThan(20);
  });

  it('has site licenses and per-seat ones, some using more seats than bought', () => {
    const site = licenses.filter((l) => l.sfLma__Seats__c === -1);
    const perSeat = licenses.filter((l) => (l.sfLma__Seats__c as number) > 0);
    expect(site.length).toBeGreaterThan(50);
    expect(perSeat.length).toBeGreaterThan(site.length);
    expect(
      perSeat.filter((l) => (l.sfLma__Used_Licenses__c as number) > (l.sfLma__Seats__c as number)).length,
    ).toBeGreaterThan(0);
  });

  it('has sandbox installs, mostly site licenses, on sandbox instances', () => {
    const sandboxes = licenses.filter((l) => l.sfLma__Subscriber_Org_Is_Sandbox__c === true);
    expect(sandboxes.length).toBeGreaterThan(20);
    expect(sandboxes.filter((l) => l.sfLma__Seats__c === -1).length / sandboxes.length).toBeGreaterThan(0.7);
    expect(sandboxes.every((l) => /^CS\d+$/.test(str(l, 'sfLma__Org_Instance__c')!))).toBe(true);
  });

  it('describes subscriber orgs: 00D ids, instances and editions', () => {
    for (const l of licenses) {
      expect(str(l, 'sfLma__Subscriber_Org_ID__c')).toMatch(/^00D[a-zA-Z0-9]{15}$/);
      expect(str(l, 'sfLma__Org_Instance__c')).toMatch(/^(NA|EU|AP|UM|CS)\d+$/);
    }
    const editions = new Set(licenses.map((l) => l.sfLma__Org_Type__c));
    expect([...editions].sort()).toEqual([
      'Developer Edition',
      'Enterprise Edition',
      'Professional Edition',
      'Unlimited Edition',
    ]);
  });

  it('links unconverted installs to a Package Installation lead and converted ones to an account and contact', () => {
    const leadsById = new Map(demo.Lead.map((l) => [l.Id, l]));
    const leadManagers = new Set(demo.sfLma__Package__c.map((p) => p.sfLma__Lead_Manager__c));
    for (const license of licenses) {
      if (license.sfLma__Lead__c) {
        expect(license.sfLma__Account__c).toBeNull();
        const lead = leadsById.get(str(license, 'sfLma__Lead__c')!)!;
        expect(lead).toMatchObject({ LeadSource: 'Package Installation', IsConverted: false });
        expect(leadManagers.has(lead.OwnerId)).toBe(true);
        expect(lead.Company).toBeTruthy();
        expect(lead.Email).toMatch(/@/);
      } else {
        expect(license.sfLma__Account__c).toBeTruthy();
        expect(license.sfLma__Contact__c).toBeTruthy();
      }
    }
    for (const trial of withStatus(demo, 'Trial')) expect(trial.sfLma__Lead__c).toBeTruthy();
    const uninstalledTrials = withStatus(demo, 'Uninstalled').filter((l) => l.sfLma__Lead__c);
    expect(uninstalledTrials.length).toBeGreaterThan(0);
    for (const paid of [...withStatus(demo, 'Active'), ...withStatus(demo, 'Suspended')]) {
      expect(paid.sfLma__Lead__c).toBeNull();
    }
  });

  it('gives accounts a website and an owner among four to six sales users', () => {
    const owners = new Set(demo.Account.map((a) => a.OwnerId));
    expect(owners.size).toBeGreaterThanOrEqual(4);
    expect(owners.size).toBeLessThanOrEqual(6);
    for (const account of demo.Account) expect(str(account, 'Website')).toMatch(/^https:\/\/www\.[a-z0-9.-]+$/);
  });

  it('names memorable customers first, then generated ones, several with more than one package', () => {
    const companies = new Set([...demo.Account.map((a) => a.Name), ...demo.Lead.map((l) => l.Company)]);
    for (const name of ['Acme Corporation', 'Globex', 'Initech', 'Umbrella Corporation', 'Stark Industries', 'Hooli']) {
      expect(companies.has(name), name).toBe(true);
    }
    expect(companies.size).toBeGreaterThan(300);
    const packagesByAccount = new Map<unknown, Set<unknown>>();
    for (const l of licenses.filter((x) => x.sfLma__Account__c)) {
      const set = packagesByAccount.get(l.sfLma__Account__c) ?? new Set();
      packagesByAccount.set(l.sfLma__Account__c, set.add(l.sfLma__Package__c));
    }
    expect([...packagesByAccount.values()].filter((s) => s.size > 1).length).toBeGreaterThan(20);
  });

  it('records Trial→Active conversions spread over the last 90 days, with the account set and lead cleared', () => {
    const conversions = history.filter(
      (h) => h.Field === 'sfLma__Status__c' && h.OldValue === 'Trial' && h.NewValue === 'Active',
    );
    expect(conversions.length).toBeGreaterThan(20);
    const days = conversions.map((h) => daysBetween(str(h, 'CreatedDate')!.slice(0, 10), TODAY));
    expect(Math.min(...days)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...days)).toBeLessThanOrEqual(90);
    expect(days.filter((d) => d <= 30).length).toBeGreaterThan(0);
    expect(days.filter((d) => d > 60).length).toBeGreaterThan(0);
    const byId = new Map(licenses.map((l) => [l.Id, l]));
    for (const h of conversions) {
      const license = byId.get(str(h, 'ParentId')!)!;
      expect(license).toMatchObject({ sfLma__Status__c: 'Active', sfLma__Lead__c: null });
      expect(license.sfLma__Account__c).toBeTruthy();
      expect(h.DataType).toBe('Text');
    }
  });

  it('records every license creation and the status, seat and expiration changes', () => {
    expect(history.filter((h) => h.Field === 'created')).toHaveLength(licenses.length);
    const changes = (field: string) => history.filter((h) => h.Field === field);
    const statusChanges = changes('sfLma__Status__c').map((h) => `${h.OldValue}→${h.NewValue}`);
    expect(statusChanges).toEqual(
      expect.arrayContaining(['Active→Uninstalled', 'Active→Suspended', 'Trial→Uninstalled']),
    );
    const seats = changes('sfLma__Seats__c');
    expect(seats.length).toBeGreaterThan(10);
    // Typed as the tracked field: seats are whole numbers (-1 a site license), as the REST API answers them.
    for (const h of seats) {
      expect(Number.isInteger(h.OldValue) && (h.OldValue as number) >= -1).toBe(true);
      expect(Number.isInteger(h.NewValue) && (h.NewValue as number) >= -1).toBe(true);
    }
    const expirations = changes('sfLma__Expiration__c');
    expect(expirations.length).toBeGreaterThan(10);
    for (const h of expirations) expect(h.NewValue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps LastModifiedDate at or after the license creation and its latest history row', () => {
    const latest = new Map<string, string>();
    for (const h of history) {
      const id = str(h, 'ParentId')!;
      if (!latest.has(id) || latest.get(id)! < str(h, 'CreatedDate')!) latest.set(id, str(h, 'CreatedDate')!);
    }
    for (const l of licenses) {
      expect(str(l, 'LastModifiedDate')! >= str(l, 'CreatedDate')!).toBe(true);
      expect(str(l, 'LastModifiedDate')! >= latest.get(l.Id)!).toBe(true);
      expect(str(l, 'LastModifiedDate')!.slice(0, 10) < TODAY).toBe(true);
    }
  });

  it('gives every record a unique 18-character Id with its object key prefix', () => {
    const seen = new Set<string>();
    for (const [objectName, records] of Object.entries(demo)) {
      for (const record of records) {
        expect(record.Id).toMatch(/^[a-zA-Z0-9]{18}$/);
        expect(record.Id.startsWith(schema[objectName].keyPrefix)).toBe(true);
        expect(seen.has(record.Id)).toBe(false);
        seen.add(record.Id);
      }
    }
  });

  it('resolves every lookup to a record of the referenced object', () => {
    const objectOf = new Map<string, string>();
    for (const [objectName, records] of Object.entries(demo)) for (const r of records) objectOf.set(r.Id, objectName);
    let checked = 0;
    for (const [objectName, records] of Object.entries(demo)) {
      const references = schema[objectName].fields.filter((f) => f.type === 'reference');
      for (const record of records) {
        for (const field of references) {
          const value = record[field.name];
          if (value == null) continue;
          expect(objectOf.get(value as string), `${objectName}.${field.name}`).toBe(field.referenceTo);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(licenses.length * 3);
  });

  it('passes the LMO_DATA validation, as JSON', () => {
    const roundTripped = JSON.parse(JSON.stringify(demo)) as unknown;
    expect(validateOrgData(roundTripped, schema, 'demo.json')).toEqual(demo);
  });
});
