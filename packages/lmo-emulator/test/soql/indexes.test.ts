import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/demo-data.js';
import { Org } from '../../src/org.js';
import { buildSchema } from '../../src/schema.js';
import { executeSoql, type QueryOptions, RecordIndexes } from '../../src/soql/index.js';
import { RecordWriter } from '../../src/writes.js';

const TODAY = '2026-03-11';
const LICENSES = 10_000;
const data = generateDemoData({ today: TODAY, licenses: LICENSES });
const OPTIONS: QueryOptions = { now: new Date(`${TODAY}T12:00:00Z`), timezone: 'UTC', apiVersion: '62.0' };

function indexedOrg() {
  const org = new Org(buildSchema(), data);
  return { org, indexes: new RecordIndexes(org) };
}

const shared = indexedOrg();

/** The query's answer and the records it read, with the indexes and without. */
function bothWays(soql: string) {
  const { org, indexes } = shared;
  const run = (withIndexes: boolean) => {
    const examined = { rows: 0 };
    const result = executeSoql(org, soql, { ...OPTIONS, indexes: withIndexes ? indexes : undefined, examined });
    return { result, examined: examined.rows };
  };
  return { scan: run(false), indexed: run(true) };
}

const license = (where: string) =>
  `SELECT Id, sfLma__Status__c, sfLma__Expiration__c FROM sfLma__License__c WHERE ${where}`;

/** A row as wide as the bot's: every License field, and its package, customer and owners through parent lookups. */
const ROW = [
  ...buildSchema().sfLma__License__c.fields.map((field) => field.name),
  'sfLma__Package__r.Name',
  'sfLma__Account__r.Name',
  'sfLma__Lead__r.Company',
  'sfLma__Account__r.Owner.Name',
  'sfLma__Lead__r.Owner.Name',
].join(', ');
const rows = (where: string, order: string) => `SELECT ${ROW} FROM sfLma__License__c WHERE ${where} ORDER BY ${order}`;

/** Seat health's queries (the aggregates' NOT IN, the lists' OR of ANDs), as the bot sends them. */
const renewing =
  "(sfLma__Status__c = 'Active') AND (sfLma__Expiration__c >= 2026-03-11) AND (sfLma__Expiration__c <= 2026-06-09) AND (sfLma__Expiration__c != 1970-01-01) AND (sfLma__Subscriber_Org_Is_Sandbox__c = false)";
const paid = "(sfLma__Status__c IN ('Active', 'Trial')) AND (sfLma__Seats__c > 0) AND (sfLma__Used_Licenses__c > 0)";
const seatValues = (values: number[], each: (seats: number) => string) => values.map(each).join(' OR ');
const SEATS = [5, 10, 15, 20, 25, 50, 100, 250, 500];
const seatRange = (where: string) =>
  `SELECT MIN(sfLma__Seats__c) lo, MAX(sfLma__Seats__c) hi, COUNT(Id) n FROM sfLma__License__c WHERE ${where}`;

const someAccount = data.Account[7];
const someLicense = data.sfLma__License__c[123];
/** Queries of every shape the indexes answer, each of them answered with them and by a scan. */
const CASES = [
  license("sfLma__Status__c = 'trial'"),
  license("sfLma__Status__c IN ('Suspended', 'Uninstalled', 'Suspended')"),
  license(`sfLma__Expiration__c = ${TODAY}`),
  license('sfLma__Expiration__c = NEXT_N_DAYS:10'),
  license('sfLma__Expiration__c < TODAY AND sfLma__Expiration__c > LAST_N_DAYS:7'),
  license('sfLma__Expiration__c <= THIS_MONTH AND sfLma__Expiration__c >= THIS_MONTH'),
  license(`sfLma__Expiration__c > ${TODAY} AND sfLma__Expiration__c <= 2026-03-20 ORDER BY sfLma__Expiration__c, Id`),
  license("sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-01 ORDER BY sfLma__Expiration__c LIMIT 20"),
  license("sfLma__Status__c = 'Active' OR sfLma__Expiration__c = TODAY"),
  license("sfLma__Status__c = 'Active' OR sfLma__Seats__c = 3"),
  license("NOT sfLma__Status__c = 'Active'"),
  license("sfLma__Status__c = null OR sfLma__Status__c = 'Trial'"),
  license(`Id = '${someLicense.Id.slice(0, 15)}'`),
  license(`sfLma__Account__r.OwnerId = '${someAccount.OwnerId}'`),
  license(`sfLma__Account__r.Name LIKE '%${String(someAccount.Name).slice(0, 6).toLowerCase()}%'`),
  license(`sfLma__Account__c = '${someAccount.Id}' OR sfLma__Lead__r.Company LIKE '%oak%'`),
  license(`SystemModstamp >= ${'2026-03-04T00:00:00Z'} ORDER BY SystemModstamp, Id`),
  license('CreatedDate = LAST_N_DAYS:3'),
  "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial' AND sfLma__Expiration__c < TODAY",
  'SELECT sfLma__Status__c, COUNT(Id) n FROM sfLma__License__c WHERE sfLma__Expiration__c = NEXT_N_DAYS:30 GROUP BY sfLma__Status__c',
  "SELECT ParentId, CreatedDate FROM sfLma__License__History WHERE Field = 'sfLma__Status__c' AND CreatedDate = LAST_N_DAYS:30 ORDER BY CreatedDate DESC",
  "SELECT Id FROM sfLma__License__History WHERE Parent.sfLma__Status__c = 'Suspended' AND Parent.sfLma__Account__r.OwnerId != null",
  // A conjunction answered at once: an equality's bucket spanned by a second field, ranges on one field merged.
  license("sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= TODAY AND sfLma__Expiration__c <= NEXT_N_DAYS:30"),
  license(
    "((sfLma__Status__c = 'Active') AND (sfLma__Expiration__c > 2026-03-01)) AND (sfLma__Expiration__c < 2026-04-01)",
  ),
  license("sfLma__Status__c IN ('Trial', 'Active', 'Trial') AND sfLma__Expiration__c = THIS_MONTH"),
  license("sfLma__Status__c = 'Trial' AND sfLma__Expiration__c > 2026-04-01 AND sfLma__Expiration__c < 2026-03-01"),
  license(
    "(sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= LAST_N_DAYS:60) OR (sfLma__Status__c = 'Active' AND sfLma__Expiration__c = NEXT_N_DAYS:20 AND sfLma__Seats__c = -1)",
  ),
  "SELECT COUNT(Id) n, SUM(sfLma__Seats__c) s FROM sfLma__License__c WHERE sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= TODAY AND sfLma__Expiration__c <= 2026-06-01 AND sfLma__Seats__c != -1",
  "SELECT ParentId FROM sfLma__License__History WHERE Field = 'sfLma__Status__c' AND CreatedDate >= 2026-02-01T00:00:00Z AND CreatedDate < 2026-03-01T00:00:00Z ORDER BY CreatedDate DESC",
  // Ordered by Id at the end: records are read in the index's order, each once.
  license("sfLma__Status__c IN ('Trial', 'Trial') AND sfLma__Expiration__c >= TODAY ORDER BY sfLma__Expiration__c, Id"),
  license("sfLma__Status__c = 'Trial' OR sfLma__Expiration__c = NEXT_N_DAYS:5 ORDER BY sfLma__Expiration__c DESC, Id"),
  license('sfLma__Expiration__c >= TODAY AND sfLma__Expiration__c < 2026-04-01 ORDER BY Id DESC LIMIT 30 OFFSET 5'),
  // Contains-LIKE through the trigram index, and patterns too short or too wild for it.
  license(`sfLma__Account__r.Name LIKE '%${String(someAccount.Name).toUpperCase()}%'`),
  license(
    `sfLma__Account__r.Name LIKE '${String(someAccount.Name).slice(0, 4)}%' OR sfLma__Lead__r.Company LIKE '%ak%'`,
  ),
  license("sfLma__Account__r.Name LIKE '%o_k h%' AND sfLma__Status__c = 'Active'"),
  // Exclusions narrowing a span of their field, `= null` from the index's nulls, and exclusions alone (no offer).
  license('sfLma__Seats__c > 0 AND sfLma__Seats__c NOT IN (5, 10, null, 500)'),
  license('sfLma__Seats__c <> 10 AND sfLma__Seats__c >= 5 AND sfLma__Seats__c != 50 ORDER BY sfLma__Seats__c DESC, Id'),
  license(
    'sfLma__Expiration__c >= LAST_N_DAYS:3 AND sfLma__Expiration__c <= NEXT_N_DAYS:3 AND sfLma__Expiration__c != TODAY',
  ),
  license(
    "sfLma__Status__c = 'Active' AND sfLma__Expiration__c > 2026-03-01 AND sfLma__Expiration__c NOT IN (2026-03-12, 2026-03-20)",
  ),
  license('sfLma__Seats__c NOT IN (5, 10)'),
  license("sfLma__Status__c != 'Active'"),
  license('sfLma__Account__c = null ORDER BY sfLma__Expiration__c, Id'),
  license("sfLma__Account__c = null AND sfLma__Status__c = 'Trial'"),
  license('sfLma__Account__c = null OR sfLma__Seats__c = 20'),
  license('sfLma__Seats__c = null OR sfLma__Seats__c = 20'),
  seatRange(`(${paid}) AND (sfLma__Seats__c NOT IN (${SEATS.join(', ')}))`),
  seatRange(`(${paid}) AND (sfLma__Seats__c NOT IN (${SEATS.filter((s) => s !== 20).join(', ')}))`),
  seatRange(
    `(${renewing}) AND (sfLma__Seats__c = -1 OR ((sfLma__Seats__c > 0) AND (sfLma__Seats__c NOT IN (5, 10, 15, 25, 50, 100, 250, 500))))`,
  ),
  rows(
    "(sfLma__Status__c = 'Trial') AND (sfLma__Expiration__c >= 2026-03-11) AND (sfLma__Used_Licenses__c > 0)",
    'sfLma__Used_Licenses__c DESC, sfLma__Expiration__c ASC, Id ASC',
  ),
  rows(
    `(${paid}) AND ((${seatValues(SEATS, (n) => `(sfLma__Seats__c = ${n} AND sfLma__Used_Licenses__c > ${n})`)}))`,
    'sfLma__Used_Licenses__c DESC, Id ASC',
  ),
  rows(
    `(${renewing}) AND (((sfLma__Used_Licenses__c = null AND sfLma__Seats__c >= 1) OR ${seatValues(SEATS, (n) => `(sfLma__Seats__c = ${n} AND sfLma__Used_Licenses__c < ${n * 0.6})`)}))`,
    'sfLma__Expiration__c ASC, Id ASC',
  ),
  rows("sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11", 'sfLma__Expiration__c ASC, Id ASC'),
  // A LIMIT read in its first key's order, stopping at the page's end: ties at the end, either direction, OFFSET.
  rows(
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11",
    'sfLma__Expiration__c ASC, Id ASC LIMIT 21',
  ),
  rows(renewing, 'sfLma__Expiration__c ASC, Id ASC LIMIT 51'),
  rows(
    `(${renewing}) AND (sfLma__Expiration__c < 2026-04-02 OR (sfLma__Expiration__c = 2026-04-02 AND Id < '${someLicense.Id}'))`,
    'sfLma__Expiration__c DESC, Id DESC LIMIT 21',
  ),
  license("sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= TODAY ORDER BY sfLma__Expiration__c LIMIT 7"),
  license(
    "sfLma__Status__c = 'Active' AND sfLma__Expiration__c <= TODAY ORDER BY sfLma__Expiration__c DESC LIMIT 9 OFFSET 4",
  ),
  license('sfLma__Expiration__c > 2026-03-01 ORDER BY sfLma__Expiration__c, sfLma__Seats__c DESC LIMIT 40 OFFSET 10'),
  license(
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= TODAY AND sfLma__Seats__c > 10 ORDER BY sfLma__Expiration__c, Id LIMIT 5",
  ),
  license(
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c = NEXT_N_DAYS:3 ORDER BY sfLma__Expiration__c DESC, Id LIMIT 2000",
  ),
  // Sorted by the indexes' ranks: nulls at either end, either direction, ties left in the order read.
  license("sfLma__Status__c = 'Trial' ORDER BY sfLma__Account__c DESC, sfLma__Expiration__c, Id"),
  license("sfLma__Status__c IN ('Active', 'Suspended') ORDER BY sfLma__Lead__c NULLS LAST, sfLma__Seats__c DESC"),
  license('sfLma__Seats__c >= 100 ORDER BY sfLma__Account__c NULLS FIRST, sfLma__Used_Licenses__c DESC NULLS FIRST'),
  'SELECT Id FROM sfLma__License__c ORDER BY sfLma__Lead__c DESC NULLS LAST, sfLma__Expiration__c LIMIT 300',
  `SELECT Id, ParentId, CreatedDate, OldValue, NewValue, Parent.Name, Parent.sfLma__Package__r.Name, Parent.sfLma__Account__r.Name, Parent.sfLma__Lead__r.Company FROM sfLma__License__History WHERE (Field = 'sfLma__Status__c') AND (CreatedDate >= 2026-02-09T00:00:00Z) AND (CreatedDate < 2026-03-12T00:00:00Z) ORDER BY CreatedDate DESC`,
  // COUNT()s an index's size answers (exactSize): a stale bucket or span would miscount.
  "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c IN ('Active', 'Trial')",
  "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11",
  'SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Seats__c = 20',
  'SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Account__c = null',
  // The change feed's poll (src/lma/queries.ts): licenses by SystemModstamp, their history by CreatedDate.
  `SELECT Id, sfLma__Status__c, SystemModstamp FROM sfLma__License__c WHERE SystemModstamp >= 2026-02-01T00:00:00Z ORDER BY SystemModstamp ASC, Id ASC`,
  "SELECT ParentId, Field, OldValue, CreatedDate FROM sfLma__License__History WHERE Field IN ('sfLma__Status__c', 'sfLma__Expiration__c', 'sfLma__Seats__c') AND CreatedDate >= 2026-03-01T00:00:00Z ORDER BY CreatedDate ASC, Id ASC",
];

describe('indexed queries answer what a scan answers', () => {
  const cases = CASES;
  const answered = new Set<string>();
  it.each(cases)('%s', (soql) => {
    const { scan, indexed } = bothWays(soql);
    expect(indexed.result).toEqual(scan.result);
    expect(indexed.examined).toBeLessThanOrEqual(scan.examined);
    if (scan.result.totalSize > 0) answered.add(soql);
  });

  it('answers most of those cases with rows, so the equality says something', () => {
    expect(answered.size).toBeGreaterThanOrEqual(cases.length - 2);
  });
});

describe('a selective query reads few records', () => {
  it('reads only the records matching both an equality and a range of an AND', () => {
    const soql = license(`sfLma__Status__c = 'Trial' AND sfLma__Expiration__c = ${TODAY}`);
    const { scan, indexed } = bothWays(soql);
    const trialsExpiringToday = data.sfLma__License__c.filter(
      (l) => l.sfLma__Status__c === 'Trial' && l.sfLma__Expiration__c === TODAY,
    ).length;
    expect(scan.examined).toBe(LICENSES);
    expect(indexed.examined).toBe(trialsExpiringToday);
    expect(indexed.examined).toBe(indexed.result.totalSize);
  });

  it('reads only the records inside every range on one field, merged into one span', () => {
    const soql = license('sfLma__Expiration__c >= 2026-03-12 AND sfLma__Expiration__c <= 2026-03-14');
    const { indexed } = bothWays(soql);
    expect(indexed.examined).toBe(indexed.result.totalSize);
    expect(indexed.result.totalSize).toBeGreaterThan(0);
  });

  it('reads the parents holding the name by trigram, then only their children, for a contains-LIKE on a name', () => {
    const account = data.Account[3];
    const { indexed } = bothWays(license(`sfLma__Account__r.Name LIKE '%${account.Name}%'`));
    const named = data.Account.filter((a) => String(a.Name).toLowerCase().includes(String(account.Name).toLowerCase()));
    const namedIds = new Set(named.map((a) => a.Id));
    const theirLicenses = data.sfLma__License__c.filter((l) => namedIds.has(String(l.sfLma__Account__c))).length;
    expect(indexed.examined).toBe(named.length + theirLicenses);
    expect(indexed.result.totalSize).toBe(theirLicenses);
  });

  it('reads the whole parent object for a LIKE with no three letters between its wildcards', () => {
    const { indexed } = bothWays(license("sfLma__Account__r.Name LIKE '%ak%'"));
    expect(indexed.examined).toBeGreaterThanOrEqual(data.Account.length);
  });

  it('reads only the paid licenses with seat counts outside the NOT IN, for a seat range the bot spells', () => {
    const listed = SEATS.filter((n) => n !== 20);
    const { indexed } = bothWays(seatRange(`(${paid}) AND (sfLma__Seats__c NOT IN (${listed.join(', ')}))`));
    const others = data.sfLma__License__c.filter((l) => {
      const seats = Number(l.sfLma__Seats__c);
      return ['Active', 'Trial'].includes(String(l.sfLma__Status__c)) && seats > 0 && !listed.includes(seats);
    }).length;
    expect(others).toBeGreaterThan(0);
    expect(indexed.examined).toBe(others);
  });

  it('reads a LIMIT in its ORDER BY’s order from the sorted index and stops at the page’s last day', () => {
    // The trials page the bot asks for: 20 shown and one more, soonest first.
    const { scan, indexed } = bothWays(
      rows(
        "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11",
        'sfLma__Expiration__c ASC, Id ASC LIMIT 21',
      ),
    );
    expect(indexed.result).toEqual(scan.result);
    expect(indexed.result.totalSize).toBe(21);
    // Only the trials expiring up to the 21st's day are read (its day whole: a tie there may sort first by Id).
    const lastDay = String(indexed.result.records[20].sfLma__Expiration__c);
    const upToLastDay = data.sfLma__License__c.filter(
      (l) =>
        l.sfLma__Status__c === 'Trial' &&
        String(l.sfLma__Expiration__c) >= TODAY &&
        String(l.sfLma__Expiration__c) <= lastDay,
    ).length;
    const onNow = data.sfLma__License__c.filter(
      (l) => l.sfLma__Status__c === 'Trial' && String(l.sfLma__Expiration__c) >= TODAY,
    ).length;
    expect(indexed.examined).toBe(upToLastDay);
    expect(indexed.examined).toBeLessThan(onNow / 10);
    // A page before a key reads the index from its end, as far as the page reaches.
    const before = bothWays(
      rows(
        "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11 AND sfLma__Expiration__c < 2026-05-01",
        'sfLma__Expiration__c DESC, Id DESC LIMIT 21',
      ),
    );
    expect(before.indexed.result).toEqual(before.scan.result);
    expect(before.indexed.result.totalSize).toBe(21);
    expect(before.indexed.examined).toBeLessThan(onNow / 10);
  });

  it('reads only the records whose field is null, for `= null`', () => {
    const { indexed } = bothWays(license('sfLma__Account__c = null'));
    const leadsOnly = data.sfLma__License__c.filter((l) => l.sfLma__Account__c == null).length;
    expect(indexed.examined).toBe(leadsOnly);
    expect(indexed.result.totalSize).toBe(leadsOnly);
  });

  it('reads everything when the clause gives no index a say', () => {
    const { indexed } = bothWays(license("sfLma__Status__c != 'Active' OR sfLma__Seats__c > 3"));
    expect(indexed.examined).toBe(LICENSES);
    // An exclusion alone matches the records its field is null in, which no span holds.
    expect(bothWays(license('sfLma__Seats__c NOT IN (5, 10)')).indexed.examined).toBe(LICENSES);
  });
});

describe('a COUNT() an index answers exactly is counted from the index', () => {
  const count = (where: string) => `SELECT COUNT() FROM sfLma__License__c WHERE ${where}`;
  const lastDay = String(data.sfLma__License__c.find((l) => l.sfLma__Status__c === 'Trial')?.sfLma__Expiration__c);
  // Every conjunct answered by the chosen span, bucket, composite or nulls: no record read.
  const exact = [
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-11",
    "sfLma__Status__c = 'trial' AND sfLma__Expiration__c < TODAY",
    "sfLma__Status__c IN ('Suspended', 'Uninstalled', 'suspended')",
    `sfLma__Expiration__c >= ${lastDay} AND sfLma__Expiration__c <= ${lastDay}`,
    `sfLma__Expiration__c > ${lastDay} AND sfLma__Expiration__c < 2026-04-01 AND sfLma__Expiration__c != 2026-03-20`,
    'sfLma__Expiration__c = THIS_MONTH AND sfLma__Expiration__c != TODAY',
    "sfLma__Status__c = 'Active' AND sfLma__Expiration__c = NEXT_N_DAYS:30 AND sfLma__Expiration__c NOT IN (2026-03-12, null)",
    'sfLma__Seats__c > 0 AND sfLma__Seats__c NOT IN (5, 10, null, 500)',
    'sfLma__Account__c = null',
    'sfLma__Seats__c = null AND sfLma__Seats__c = null',
    'CreatedDate = LAST_N_DAYS:3 LIMIT 5 OFFSET 2',
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c > 2026-04-01 AND sfLma__Expiration__c < 2026-03-01",
    "sfLma__Status__c IN ('Trial', 'Active') AND sfLma__Expiration__c = THIS_MONTH",
  ];
  it.each(exact)('%s', (where) => {
    const { scan, indexed } = bothWays(count(where));
    expect(indexed.result).toEqual(scan.result);
    expect(indexed.examined).toBe(0);
  });

  // A conjunct the chosen index leaves to the predicate, an OR, a NOT, a parent lookup, a field without an index:
  // the offer is a superset, so its records are read and tested.
  const superset = [
    "sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= TODAY AND sfLma__Seats__c > 10",
    "sfLma__Account__c = null AND sfLma__Status__c = 'Trial'",
    "sfLma__Status__c = 'Trial' OR sfLma__Expiration__c = TODAY",
    "NOT sfLma__Status__c = 'Active'",
    'sfLma__Seats__c NOT IN (5, 10)',
    `sfLma__Account__r.OwnerId = '${data.Account[7].OwnerId}'`,
    "sfLma__Status__c = 'Trial' AND Name != 'L-000001'",
  ];
  it.each(superset)('%s', (where) => {
    const { scan, indexed } = bothWays(count(where));
    expect(indexed.result).toEqual(scan.result);
    expect(indexed.examined).toBeGreaterThan(0);
  });

  it('counts the records a scan counts, at each bound of a day', () => {
    for (const operator of ['<', '<=', '=', '>=', '>']) {
      const where = `sfLma__Status__c = 'Trial' AND sfLma__Expiration__c ${operator} ${lastDay}`;
      const { scan, indexed } = bothWays(count(where));
      expect(indexed.result.totalSize).toBe(scan.result.totalSize);
      expect(indexed.examined).toBe(0);
    }
  });
});

describe('a contains-LIKE by trigram matches as the case-insensitive scan does, whatever the letters', () => {
  const names = ['İstanbul Oak', 'Straße Holdings', 'ſtar Labs', 'ÉCOLE Kelvin', '100% Pure_Co', 'Oak\\Tree'];
  const org = new Org(buildSchema(), {
    Account: names.map((Name, i) => ({ Id: `001000000000${String(i).padStart(3, '0')}AAA`, Name })),
    sfLma__License__c: names.map((_, i) => ({
      Id: `a0L000000000${String(i).padStart(3, '0')}AAA`,
      sfLma__Account__c: `001000000000${String(i).padStart(3, '0')}AAA`,
    })),
  });
  const indexes = new RecordIndexes(org);
  const patterns = ['%İst%', '%ist%', '%STANBUL%', '%STRASSE%', '%straße%', '%STAR%', '%ſta%', '%école%', '%kelvin%'];
  // Lower-cased, İ is i and a combining dot; ß never equals SS, nor ſ S, in a case-insensitive match.
  const unmatched = ['%İst%', '%ist%', '%STRASSE%', '%STAR%'];
  const more = ['%100\\%%', '%e\\_c%', '%PURE_CO%', '%k\\\\t%', '%oak%'];
  const found = new Set<string>();
  it.each([...patterns, ...more])('%s', (pattern) => {
    const soql = `SELECT Id FROM sfLma__License__c WHERE sfLma__Account__r.Name LIKE '${pattern}'`;
    const run = (withIndexes: boolean) =>
      executeSoql(org, soql, { ...OPTIONS, indexes: withIndexes ? indexes : undefined });
    const scanned = run(false);
    expect(run(true)).toEqual(scanned);
    if (scanned.totalSize > 0) found.add(pattern);
  });

  it('finds a name for every other pattern, so the equality says something', () => {
    expect([...found].sort()).toEqual([...patterns, ...more].filter((p) => !unmatched.includes(p)).sort());
  });
});

describe('indexes follow the records', () => {
  it('sees a write made after the index was built', () => {
    const { org, indexes } = indexedOrg();
    const writer = new RecordWriter(org, () => OPTIONS.now, '005000000000001AAA');
    const soql = "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Suspended'";
    const count = () => executeSoql(org, soql, { ...OPTIONS, indexes }).totalSize;
    const before = count();
    const active = org.records('sfLma__License__c').find((l) => l.sfLma__Status__c === 'Active')!;
    writer.update('sfLma__License__c', active.Id, { sfLma__Status__c: 'Suspended' });
    expect(count()).toBe(before + 1);
    const built = indexes.counts.built;
    org.remove(active.Id);
    expect(count()).toBe(before);
    // A removal moves the records after it: the index is rebuilt, not brought up to date.
    expect(indexes.counts.built).toBeGreaterThan(built);
  });

  it('brings its indexes up to date after each write and insert, answering as a scan does, none rebuilt', () => {
    const { org, indexes } = indexedOrg();
    const writer = new RecordWriter(org, () => OPTIONS.now, '005000000000001AAA');
    const answer = (soql: string, withIndexes: boolean) =>
      executeSoql(org, soql, { ...OPTIONS, indexes: withIndexes ? indexes : undefined });
    for (const soql of CASES) answer(soql, true);
    const built = indexes.counts.built;
    const licenses = org.records('sfLma__License__c');
    const history = org.records('sfLma__License__History').length;
    const active = licenses.findIndex((l) => l.sfLma__Status__c === 'Active');
    // Each a real write: the fields sent, SystemModstamp and LastModifiedDate, and a history row per tracked field.
    const writes = [
      () =>
        writer.update('sfLma__License__c', licenses[active].Id, { sfLma__Status__c: 'Suspended', sfLma__Seats__c: 20 }),
      () =>
        writer.update('sfLma__License__c', licenses[77].Id, { sfLma__Expiration__c: TODAY, sfLma__Account__c: null }),
      () => writer.update('sfLma__License__c', licenses[5].Id, { sfLma__Seats__c: 3, sfLma__Used_Licenses__c: null }),
      () =>
        writer.create('sfLma__License__c', {
          sfLma__Status__c: 'Trial',
          sfLma__Seats__c: 10,
          sfLma__Package__c: licenses[0].sfLma__Package__c,
          sfLma__Account__c: someAccount.Id,
          sfLma__Expiration__c: '2026-03-20',
        }),
      // A burst: more changes than an index splices in one by one (it merges them).
      () => {
        for (const l of licenses.slice(1000, 1100))
          writer.update('sfLma__License__c', l.Id, { sfLma__Seats__c: Number(l.sfLma__Seats__c ?? 0) + 1 });
      },
    ];
    for (const write of writes) {
      write();
      for (const soql of CASES) expect(answer(soql, true), soql).toEqual(answer(soql, false));
    }
    expect(org.records('sfLma__License__History').length).toBeGreaterThan(history);
    expect(indexes.counts.built).toBe(built);
    expect(indexes.counts.updated).toBeGreaterThan(0);
  });
});
