/**
 * The demo dataset of the embedded LMO: packages, versions, licenses, leads, accounts, contacts,
 * users and license history, generated from a seed and dated relative to `today`, so the demo
 * always has trials ending, renewals coming up and recent conversions. Same options → same data.
 */

import { IdMint, makeId } from './ids.js';
import type { OrgData, SObjectRecord } from './schema.js';
import { buildSchema } from './schema.js';

export interface DemoDataOptions {
  /** The calendar date everything is relative to (YYYY-MM-DD). */
  today: string;
  /** Default DEFAULT_DEMO_SEED (42). */
  seed?: number;
  /** How many sfLma__License__c records; default DEFAULT_DEMO_LICENSES. */
  licenses?: number;
}

export const DEFAULT_DEMO_LICENSES = 850;
export const DEFAULT_DEMO_SEED = 42;

// ── Deterministic randomness ──────────────────────────────────────────────────────────────────

/** mulberry32: a tiny, fast 32-bit PRNG, good enough for plausible demo data (and seeded fault tests). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
}

// ── Ids ───────────────────────────────────────────────────────────────────────────────────────

/** Ids minted by other orgs (subscriber orgs, packaging orgs): random after the prefix. */
function foreignId(dice: Dice, keyPrefix: string): string {
  const digits = Array.from({ length: 9 }, () => dice.int(0, 61));
  return makeId(`${keyPrefix}${dice.pick(['5g', '8d', 'Hs', 'Dn', '3t'])}0`, digits);
}

// ── Dates: whole days since the epoch, formatted on the way out ──────────────────────────────

const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;
const PERPETUAL_LEGACY_DATE = '1970-01-01';

function parseDay(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`generateDemoData: today must be a date as YYYY-MM-DD, got "${date}"`);
  }
  return ms / DAY_MS;
}

const dayTexts = new Map<number, string>();
function formatDay(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayTexts.set(day, text);
  }
  return text;
}

/** An instant as seconds since the epoch, in Salesforce's datetime wire format. */
function formatInstant(instant: number): string {
  return new Date(instant * 1000).toISOString().replace('Z', '+0000');
}

// ── Names ─────────────────────────────────────────────────────────────────────────────────────

const MEMORABLE_CUSTOMERS: readonly (readonly [name: string, domain: string])[] = [
  ['Acme Corporation', 'acme.com'],
  ['Globex', 'globex.com'],
  ['Initech', 'initech.com'],
  ['Umbrella Corporation', 'umbrellacorp.com'],
  ['Stark Industries', 'starkindustries.com'],
  ['Wayne Enterprises', 'wayneenterprises.com'],
  ['Hooli', 'hooli.com'],
  ['Pied Piper', 'piedpiper.com'],
  ['Cyberdyne Systems', 'cyberdyne.com'],
  ['Soylent', 'soylent.com'],
  ['Wonka Industries', 'wonka.com'],
  ['Tyrell Corporation', 'tyrell.com'],
  ['Massive Dynamic', 'massivedynamic.com'],
  ['Vandelay Industries', 'vandelay.com'],
  ['Dunder Mifflin', 'dundermifflin.com'],
  ['Aperture Science', 'aperturescience.com'],
];

const ADJECTIVES = [
  'Blue',
  'Bright',
  'Silver',
  'Golden',
  'Northern',
  'Southern',
  'Eastern',
  'Western',
  'Granite',
  'Cedar',
  'Maple',
  'Summit',
  'Harbor',
  'River',
  'Prairie',
  'Coastal',
  'Iron',
  'Crystal',
  'Swift',
  'Quiet',
  'Bold',
  'Clear',
  'Evergreen',
  'Redwood',
  'Copper',
  'Atlas',
  'Lunar',
  'Solar',
  'Pioneer',
  'Frontier',
  'Crescent',
  'Highland',
  'Lakeside',
  'Meadow',
  'Orchard',
  'Polar',
  'Rapid',
  'Stellar',
  'Urban',
  'Vivid',
  'Amber',
  'Cobalt',
  'Emerald',
  'Falcon',
  'Liberty',
  'Noble',
  'Sterling',
  'Velvet',
];
const NOUNS = [
  'Harbor',
  'Peak',
  'Bridge',
  'Stone',
  'Field',
  'Grove',
  'Ridge',
  'Point',
  'Valley',
  'Forge',
  'Anchor',
  'Beacon',
  'Canyon',
  'Delta',
  'Echo',
  'Harvest',
  'Horizon',
  'Junction',
  'Keystone',
  'Lantern',
  'Mesa',
  'Nexus',
  'Oak',
  'Pine',
  'Quarry',
  'Rock',
  'Sail',
  'Tide',
  'Vista',
  'Willow',
  'Arrow',
  'Bay',
  'Crest',
  'Dune',
  'Ember',
  'Fjord',
  'Gate',
  'Haven',
  'Isle',
  'Lake',
  'Mill',
  'Pass',
  'Shore',
  'Spring',
  'Trail',
  'Wave',
  'Wharf',
  'Yard',
];
const SUFFIXES = [
  'Logistics',
  'Analytics',
  'Health',
  'Energy',
  'Foods',
  'Labs',
  'Capital',
  'Manufacturing',
  'Media',
  'Consulting',
  'Software',
  'Retail',
  'Outfitters',
  'Partners',
  'Holdings',
  'Systems',
];
const FIRST_NAMES = [
  'Alex',
  'Jordan',
  'Taylor',
  'Morgan',
  'Casey',
  'Jamie',
  'Riley',
  'Avery',
  'Quinn',
  'Harper',
  'Maya',
  'Noah',
  'Liam',
  'Emma',
  'Olivia',
  'Mateo',
  'Aisha',
  'Kenji',
  'Sara',
  'Tomás',
  'Ingrid',
  'Ravi',
  'Chloé',
  'Lucas',
  'Amara',
  'Yusuf',
  'Elena',
  'Wei',
  'Fatima',
  'Oskar',
];
const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Nguyen',
  'Patel',
  'Kim',
  'Müller',
  'Rossi',
  'Dubois',
  'Silva',
  'Okafor',
  'Cohen',
  'Tanaka',
  'Larsen',
  'Novak',
  'Haddad',
  'Walsh',
  'Moreau',
  'Costa',
  'Jensen',
  'Ali',
  'Brown',
  'Wilson',
  'Lopez',
  'Schneider',
  'Chen',
  'Singh',
  'Murphy',
  'Ivanova',
  'Reyes',
];

/** The i-th generated company name: a permutation of adjective × noun × suffix, numbered once used up. */
function generatedCompany(i: number): { name: string; domain: string } {
  const combos = ADJECTIVES.length * NOUNS.length * SUFFIXES.length;
  const k = (i * 7919 + 1234) % combos; // 7919 is prime and coprime to combos: a full permutation
  const adjective = ADJECTIVES[k % ADJECTIVES.length];
  const noun = NOUNS[Math.floor(k / ADJECTIVES.length) % NOUNS.length];
  const suffix = SUFFIXES[Math.floor(k / (ADJECTIVES.length * NOUNS.length))];
  const round = Math.floor(i / combos);
  const base = adjective === noun ? `${adjective} ${suffix}` : `${adjective} ${noun} ${suffix}`;
  const name = round === 0 ? base : `${base} ${round + 1}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return { name, domain: `${slug}.com` };
}

interface Person {
  first: string;
  last: string;
}

function asciiLower(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function emailOf(person: Person, domain: string): string {
  return `${asciiLower(person.first)}.${asciiLower(person.last)}@${domain}`;
}

// ── Packages ──────────────────────────────────────────────────────────────────────────────────

interface VersionSpec {
  number: string;
  daysAgo: number;
  beta?: boolean;
}
interface PackageSpec {
  name: string;
  weight: number;
  versions: VersionSpec[];
}

const PACKAGES: readonly PackageSpec[] = [
  {
    name: 'Invoicer',
    weight: 45,
    versions: [
      { number: '1.0.0', daysAgo: 1600 },
      { number: '1.4.0', daysAgo: 1100 },
      { number: '1.7.2', daysAgo: 700 },
      { number: '2.0.1', daysAgo: 330 },
      { number: '2.1.0', daysAgo: 75 },
      { number: '2.2.0', daysAgo: 12, beta: true },
    ],
  },
  {
    name: 'Scheduler Pro',
    weight: 35,
    versions: [
      { number: '1.0.0', daysAgo: 1250 },
      { number: '1.2.3', daysAgo: 820 },
      { number: '2.0.0', daysAgo: 400 },
      { number: '2.3.1', daysAgo: 60 },
    ],
  },
  {
    name: 'Field Notes',
    weight: 20,
    versions: [
      { number: '0.9.0', daysAgo: 900 },
      { number: '1.0.0', daysAgo: 640 },
      { number: '1.1.0', daysAgo: 280 },
      { number: '1.2.0', daysAgo: 30 },
    ],
  },
];

interface GeneratedVersion {
  record: SObjectRecord;
  number: string;
  releaseDay: number;
}
interface GeneratedPackage {
  spec: PackageSpec;
  record: SObjectRecord;
  /** Released, non-beta versions, oldest first: what subscribers install. */
  installable: GeneratedVersion[];
}

// ── Licenses ──────────────────────────────────────────────────────────────────────────────────

type Status = 'Trial' | 'Active' | 'Suspended' | 'Uninstalled';

interface SubscriberOrg {
  id: string;
  sandbox: boolean;
  instance: string;
  edition: string;
  status: 'Active' | 'Free' | 'Trial';
  /** For orgs that are Salesforce trials themselves: the day the org's trial ends. */
  trialEnds?: number;
}

interface Customer {
  name: string;
  domain: string;
  converted: boolean;
  contact: Person;
  ownerId: string;
  production: SubscriberOrg;
  account?: SObjectRecord;
  contactRecord?: SObjectRecord;
  /** When the customer became one: the earliest install or conversion of a converted license. */
  since?: number;
}

/**
 * A license being built. The record itself is made in one go at the end, once licenses are in
 * install order (for ids and autonumbers): a fixed-shape literal keeps 100k records cheap.
 */
class DraftLicense {
  status: Status = 'Trial';
  installDay = 0;
  expiration: string | null = null;
  seats = 0;
  used = 0;
  createdAt = 0;
  createdText = '';
  latestChangeAt = 0;
  /** History rows; Id and ParentId are filled when the license gets its id. */
  readonly history: SObjectRecord[] = [];
  pkg?: GeneratedPackage;
  version?: GeneratedVersion;
  /** Set for licenses installed as a trial: the lead the LMA created at install. */
  lead?: { converted: boolean; uninstalled: boolean };

  constructor(
    readonly customer: Customer,
    readonly org: SubscriberOrg,
  ) {}
}

/** History values keep the tracked field's type (the REST API answers seats as numbers). */
function historyValue(value: unknown): unknown {
  return value ?? null;
}

/** Who a license points at: the install's lead until converted, then account and contact. */
type LicenseLinks = { lead?: string; account?: string; contact?: string };

/** The sales reps who own the demo's customers (accounts and leads), as Salesforce users at USER_DOMAIN. */
const SALES_REPS = ['Priya Natarajan', 'Diego Alvarez', 'Hannah Schmidt', 'Kwame Mensah', 'Sofia Rossi'] as const;
const USER_DOMAIN = 'demo-isv.example';
const loginOf = (name: string) => name.toLowerCase().replace(' ', '.');
/** The email of a demo sales rep who owns customers: the local sandbox's person is matched to them. */
export const DEMO_REP_EMAIL = `${loginOf(SALES_REPS[0])}@${USER_DOMAIN}`;

const PAID_SEATS = [5, 10, 15, 25, 50, 100, 250, 500] as const;
const TRIAL_LENGTHS = [14, 30, 30, 30, 30, 60, 90] as const;
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;

class DemoGenerator {
  private readonly dice: Dice;
  private readonly ids = new IdMint();
  private readonly schema = buildSchema({ lmaInstalled: true });
  private readonly today: number;
  private readonly data: OrgData = {};
  private readonly integrationUserId: string;
  private readonly leadManagerId: string;
  private readonly salesUserIds: string[] = [];
  private readonly packages: GeneratedPackage[] = [];
  /** Where the next renewal falls: a low-discrepancy walk over the coming year (see renewalOffset). */
  private renewalCursor: number;

  constructor(
    today: string,
    seed: number,
    private readonly licenseCount: number,
  ) {
    this.today = parseDay(today);
    this.dice = new Dice(mulberry32(seed));
    this.renewalCursor = this.dice.next();
    for (const name of Object.keys(this.schema)) this.data[name] = [];
    this.integrationUserId = this.addUser('License Manager Integration', 'lma.integration');
    this.leadManagerId = this.addUser('Morgan Blake', 'morgan.blake');
    for (const name of SALES_REPS) this.salesUserIds.push(this.addUser(name, loginOf(name)));
  }

  generate(): OrgData {
    this.add('Organization', {
      Id: foreignId(this.dice, '00D'),
      Name: 'Demo ISV',
      OrganizationType: 'Enterprise Edition',
      InstanceName: 'NA224',
      IsSandbox: false,
    });
    for (const spec of PACKAGES) this.packages.push(this.addPackage(spec));

    const drafts: DraftLicense[] = [];
    for (let i = 0; drafts.length < this.licenseCount; i++) drafts.push(...this.customerLicenses(i));
    drafts.length = this.licenseCount;
    drafts.sort((a, b) => a.createdAt - b.createdAt);
    for (const [index, draft] of drafts.entries()) this.addLicense(draft, index);
    return this.data;
  }

  // ── records ──

  private add(objectName: string, fields: Record<string, unknown>): SObjectRecord {
    const record = { Id: this.ids.next(this.schema[objectName].keyPrefix), ...fields } as SObjectRecord;
    this.data[objectName].push(record);
    return record;
  }

  private stamp(created: string, lastModified = created): Record<string, string> {
    return { CreatedDate: created, LastModifiedDate: lastModified, CreatedById: this.integrationUserId };
  }

  private addUser(name: string, login: string): string {
    const created = formatInstant((this.today - 2000) * DAY_SECONDS + 9 * 3600);
    return this.add('User', {
      Name: name,
      Username: `${login}@${USER_DOMAIN}`,
      Email: `${login}@${USER_DOMAIN}`,
      IsActive: true,
      CreatedDate: created,
      LastModifiedDate: created,
    }).Id;
  }

  /** A random instant during the working day (UTC) of `day`. */
  private instantOn(day: number): number {
    return day * DAY_SECONDS + this.dice.int(8 * 3600, 19 * 3600);
  }

  private addPackage(spec: PackageSpec): GeneratedPackage {
    const versions = spec.versions.map((v) => ({ ...v, releaseDay: this.today - v.daysAgo }));
    const latest = versions.filter((v) => !v.beta).at(-1)!;
    const created = this.instantOn(versions[0].releaseDay - 30);
    const record = this.add('sfLma__Package__c', {
      Name: spec.name,
      sfLma__Package_ID__c: foreignId(this.dice, '033'),
      sfLma__Developer_Name__c: 'Demo ISV',
      sfLma__Developer_Org_ID__c: foreignId(this.dice, '00D'),
      sfLma__Latest_Version__c: latest.number,
      sfLma__Release_Date__c: formatDay(latest.releaseDay),
      sfLma__Lead_Manager__c: this.leadManagerId,
      OwnerId: this.integrationUserId,
      ...this.stamp(formatInstant(created), formatInstant(this.instantOn(latest.releaseDay))),
    });
    const installable: GeneratedVersion[] = [];
    versions.forEach((v, index) => {
      const version = this.add('sfLma__Package_Version__c', {
        Name: `${spec.name} ${v.number}${v.beta ? ' (Beta)' : ''}`,
        sfLma__Package__c: record.Id,
        sfLma__Version__c: v.number.split('.').slice(0, 2).join('.'),
        sfLma__Version_Number__c: v.number,
        sfLma__Version_ID__c: foreignId(this.dice, '04t'),
        sfLma__Release_Date__c: formatDay(v.releaseDay),
        sfLma__Is_Beta__c: v.beta === true,
        sfLma__Sequence__c: index + 1,
        ...this.stamp(formatInstant(this.instantOn(v.releaseDay))),
      });
      if (!v.beta) installable.push({ record: version, number: v.number, releaseDay: v.releaseDay });
    });
    return { spec, record, installable };
  }

  // ── customers ──

  private newCustomer(index: number): Customer {
    const memorable = index < MEMORABLE_CUSTOMERS.length;
    const { name, domain } = memorable
      ? { name: MEMORABLE_CUSTOMERS[index][0], domain: MEMORABLE_CUSTOMERS[index][1] }
      : generatedCompany(index - MEMORABLE_CUSTOMERS.length);
    // Most memorable names are customers; a few are still prospects on trial.
    const converted = memorable ? index % 4 !== 2 : this.dice.chance(0.7);
    const edition = converted
      ? this.dice.weighted([
          ['Enterprise Edition', 55],
          ['Unlimited Edition', 25],
          ['Professional Edition', 20],
        ] as const)
      : this.dice.weighted([
          ['Enterprise Edition', 35],
          ['Unlimited Edition', 10],
          ['Professional Edition', 20],
          ['Developer Edition', 35],
        ] as const);
    const status = edition === 'Developer Edition' ? 'Free' : !converted && this.dice.chance(0.5) ? 'Trial' : 'Active';
    return {
      name,
      domain,
      converted,
      contact: this.person(),
      ownerId: this.dice.pick(this.salesUserIds),
      production: {
        id: foreignId(this.dice, '00D'),
        sandbox: false,
        instance: this.productionInstance(),
        edition,
        status,
      },
    };
  }

  private person(): Person {
    return { first: this.dice.pick(FIRST_NAMES), last: this.dice.pick(LAST_NAMES) };
  }

  private productionInstance(): string {
    const pod = this.dice.weighted([
      ['NA', 60],
      ['EU', 25],
      ['AP', 10],
      ['UM', 5],
    ] as const);
    return `${pod}${this.dice.int(pod === 'NA' ? 100 : 10, pod === 'NA' ? 240 : 60)}`;
  }

  /** The packages one customer installs: memorable ones have two or three. */
  private packagesFor(index: number): GeneratedPackage[] {
    const count =
      index < MEMORABLE_CUSTOMERS.length
        ? 2 + (index % 3 === 0 ? 1 : 0)
        : this.dice.weighted([
            [1, 72],
            [2, 20],
            [3, 8],
          ] as const);
    const remaining = [...this.packages];
    const chosen: GeneratedPackage[] = [];
    while (chosen.length < count) {
      const next = this.dice.weighted(remaining.map((p) => [p, p.spec.weight] as const));
      chosen.push(next);
      remaining.splice(remaining.indexOf(next), 1);
    }
    return chosen;
  }

  private customerLicenses(index: number): DraftLicense[] {
    const customer = this.newCustomer(index);
    const drafts: DraftLicense[] = [];
    for (const pkg of this.packagesFor(index)) {
      const status = this.statusFor(customer, drafts.length === 0);
      const draft = this.productionLicense(customer, pkg, status);
      drafts.push(draft);
      if (status === 'Active' && this.dice.chance(0.2)) drafts.push(this.sandboxLicense(draft, pkg));
    }
    return drafts;
  }

  /** Customers' first license is paid (or was); later ones may be cross-sell trials. */
  private statusFor(customer: Customer, first: boolean): Status {
    if (!customer.converted)
      return this.dice.weighted([
        ['Trial', 85],
        ['Uninstalled', 15],
      ] as const);
    return this.dice.weighted([
      ['Active', 78],
      ['Suspended', 6],
      ['Uninstalled', 10],
      ['Trial', first ? 0 : 6],
    ] as const);
  }

  // ── license timelines ──

  private productionLicense(customer: Customer, pkg: GeneratedPackage, status: Status): DraftLicense {
    const draft = new DraftLicense(customer, customer.production);
    const lastDay =
      status === 'Trial' || (status === 'Uninstalled' && !customer.converted)
        ? this.trialTimeline(draft, status)
        : status === 'Active'
          ? this.activeTimeline(draft)
          : this.lapsedTimeline(draft, status);
    this.install(draft, pkg, lastDay);
    return draft;
  }

  private event(draft: DraftLicense, instant: number, field: string, from: unknown, to: unknown, dataType: string) {
    // The LMA itself records installs and uninstalls; people make every other change.
    const byUserId = field === 'created' || to === 'Uninstalled' ? this.integrationUserId : draft.customer.ownerId;
    draft.history.push({
      Id: '',
      ParentId: '',
      Field: field,
      OldValue: historyValue(from),
      NewValue: historyValue(to),
      DataType: dataType,
      CreatedDate: instant === draft.createdAt ? draft.createdText : formatInstant(instant),
      CreatedById: byUserId,
    });
    draft.latestChangeAt = Math.max(draft.latestChangeAt, instant);
  }

  /** The license as installed: status, term and seats, and its `created` history row. */
  private begin(
    draft: DraftLicense,
    status: Status,
    installDay: number,
    expiration: string | null,
    seats: number,
    used: number,
  ) {
    Object.assign(draft, { status, installDay, expiration, seats, used });
    draft.createdAt = this.instantOn(installDay);
    draft.createdText = formatInstant(draft.createdAt);
    if (draft.org.status === 'Trial') draft.org.trialEnds ??= installDay + 30;
    this.event(draft, draft.createdAt, 'created', null, null, 'Text');
  }

  private paidSeats(): { seats: number; used: number } {
    if (this.dice.chance(0.22)) return { seats: -1, used: this.dice.int(5, 800) };
    const seats = this.dice.pick(PAID_SEATS);
    // Used seats sometimes run over what was bought: the LMA does not enforce the count.
    return { seats, used: Math.max(1, Math.round(seats * (0.35 + this.dice.next() * 0.77))) };
  }

  /** Trials (on or expired) and trials uninstalled before buying; returns the last day of use. */
  private trialTimeline(draft: DraftLicense, status: Status): number {
    draft.lead = { converted: false, uninstalled: status === 'Uninstalled' };
    const site = this.dice.chance(0.6);
    const seats = site ? -1 : this.dice.pick([5, 10, 20]);
    if (status === 'Uninstalled') {
      const install = this.today - this.dice.int(20, 400);
      this.begin(draft, 'Uninstalled', install, formatDay(install + 30), seats, 0);
      const uninstalled = install + this.dice.int(1, 19);
      this.event(draft, this.instantOn(uninstalled), 'sfLma__Status__c', 'Trial', 'Uninstalled', 'Text');
      return uninstalled;
    }
    const length = this.dice.pick(TRIAL_LENGTHS);
    const expired = this.dice.chance(0.32);
    const expiration = expired ? this.today - this.dice.int(1, 60) : this.today + this.dice.int(1, length - 1);
    const install = expiration - length;
    this.begin(
      draft,
      'Trial',
      install,
      formatDay(expiration),
      seats,
      site ? this.dice.int(1, 15) : this.dice.int(1, seats),
    );
    // Some longer trials were extended by 30 days along the way (never past 90 days in total).
    const extendedOn = install + length - 30 - this.dice.int(1, 5);
    if (length >= 60 && extendedOn < this.today && this.dice.chance(0.3)) {
      const at = this.instantOn(extendedOn);
      this.event(draft, at, 'sfLma__Expiration__c', formatDay(expiration - 30), formatDay(expiration), 'DateOnly');
    }
    return Math.min(this.today, expiration);
  }

  /** Days from today to the next paid expiration: a golden-ratio walk covers the year evenly. */
  private renewalOffset(): number {
    this.renewalCursor = (this.renewalCursor + GOLDEN_RATIO_FRACTION) % 1;
    return Math.floor(this.renewalCursor * 365);
  }

  /** Paid and active: recently converted from a trial, or a customer of one to four years. */
  private activeTimeline(draft: DraftLicense): number {
    const { seats, used } = this.paidSeats();
    if (this.dice.chance(0.12)) {
      const convertedOn = this.today - this.dice.int(1, 89);
      const install = convertedOn - this.dice.int(3, 29);
      const expiration = convertedOn + 365;
      this.begin(draft, 'Active', install, formatDay(expiration), seats, used);
      draft.lead = { converted: true, uninstalled: false };
      const at = this.instantOn(convertedOn);
      this.event(draft, at, 'sfLma__Status__c', 'Trial', 'Active', 'Text');
      this.event(draft, at, 'sfLma__Expiration__c', formatDay(install + 30), formatDay(expiration), 'DateOnly');
      if (seats !== -1) this.event(draft, at, 'sfLma__Seats__c', -1, seats, 'Double');
      this.becameCustomer(draft.customer, convertedOn);
      return this.today;
    }
    const kind = this.dice.weighted([
      ['dated', 885],
      ['perpetual', 60],
      ['legacy', 15],
      ['lapsed', 40],
    ] as const);
    if (kind === 'perpetual' || kind === 'legacy') {
      const install = this.today - this.dice.int(60, 1500);
      this.begin(draft, 'Active', install, kind === 'legacy' ? PERPETUAL_LEGACY_DATE : null, seats, used);
      this.becameCustomer(draft.customer, install);
      return this.today;
    }
    const expiration = kind === 'lapsed' ? this.today - this.dice.int(1, 45) : this.today + this.renewalOffset();
    const years = this.dice.int(1, 3);
    const install = expiration - 365 * years;
    this.begin(draft, 'Active', install, formatDay(expiration), seats, used);
    for (let year = 1; year < years; year++) {
      const renewedTo = install + 365 * (year + 1);
      const at = this.instantOn(renewedTo - 365 - this.dice.int(0, 20));
      this.event(draft, at, 'sfLma__Expiration__c', formatDay(renewedTo - 365), formatDay(renewedTo), 'DateOnly');
    }
    if (seats > 5 && install + 30 < this.today && this.dice.chance(0.18)) {
      const before = PAID_SEATS.filter((s) => s < seats).at(-1)!;
      const changedOn = this.dice.int(install + 30, this.today - 1);
      this.event(draft, this.instantOn(changedOn), 'sfLma__Seats__c', before, seats, 'Double');
    }
    this.becameCustomer(draft.customer, install);
    return this.today;
  }

  /** Suspended (unpaid) or uninstalled (churned) after being paid. */
  private lapsedTimeline(draft: DraftLicense, status: 'Suspended' | 'Uninstalled'): number {
    const { seats, used } = this.paidSeats();
    const changedOn = this.today - (status === 'Suspended' ? this.dice.int(1, 60) : this.dice.int(1, 365));
    const install = changedOn - this.dice.int(60, 900);
    const expiration =
      status === 'Suspended'
        ? this.today + (this.dice.chance(0.6) ? -this.dice.int(1, 90) : this.dice.int(1, 300))
        : install + 365 * Math.ceil((changedOn - install) / 365);
    const perpetual = status === 'Uninstalled' && this.dice.chance(0.1);
    this.begin(
      draft,
      status,
      install,
      perpetual ? null : formatDay(expiration),
      seats,
      status === 'Uninstalled' ? 0 : used,
    );
    this.event(draft, this.instantOn(changedOn), 'sfLma__Status__c', 'Active', status, 'Text');
    this.becameCustomer(draft.customer, install);
    return status === 'Uninstalled' ? changedOn : this.today;
  }

  /** A sandbox of a paying customer: mostly a site license, on the production term or none. */
  private sandboxLicense(production: DraftLicense, pkg: GeneratedPackage): DraftLicense {
    const org: SubscriberOrg = {
      id: foreignId(this.dice, '00D'),
      sandbox: true,
      instance: `CS${this.dice.int(1, 220)}`,
      edition: production.org.edition,
      status: 'Active',
    };
    const draft = new DraftLicense(production.customer, org);
    const install = Math.min(this.today - 1, production.installDay + this.dice.int(1, 60));
    const expiration = this.dice.chance(0.3) ? null : production.expiration;
    const seats = this.dice.chance(0.85) ? -1 : production.seats;
    this.begin(draft, 'Active', install, expiration, seats, this.dice.int(1, 40));
    this.install(draft, pkg, this.today);
    return draft;
  }

  private becameCustomer(customer: Customer, day: number) {
    if (customer.since === undefined || day < customer.since) customer.since = day;
  }

  /** The version installed: one released by `lastDay`, newer ones more likely (upgrades). */
  private install(draft: DraftLicense, pkg: GeneratedPackage, lastDay: number) {
    const released = pkg.installable.filter((v) => v.releaseDay <= lastDay);
    const candidates = released.length > 0 ? released : pkg.installable.slice(0, 1);
    draft.pkg = pkg;
    draft.version = this.dice.weighted(candidates.map((v, i) => [v, 2 ** i] as const));
  }

  // ── output ──

  private addLicense(draft: DraftLicense, index: number) {
    const { customer, org, pkg, version } = draft;
    if (!pkg || !version) throw new Error('demo data: a license was drafted without a package version');
    const links: LicenseLinks =
      draft.lead && !draft.lead.converted ? { lead: this.addLead(draft) } : this.accountLinks(customer);
    // The LMA refreshes installed licenses (used seats) every few days; uninstalled ones stay put.
    const lastModified =
      draft.status === 'Uninstalled'
        ? draft.latestChangeAt
        : Math.max(draft.latestChangeAt, this.instantOn(this.today - this.dice.int(1, 7)));
    const lastModifiedText = formatInstant(lastModified);
    const packageId = pkg.record.sfLma__Package_ID__c as string;
    const record: SObjectRecord = {
      Id: this.ids.next(this.schema.sfLma__License__c.keyPrefix),
      Name: `L-${String(index + 1).padStart(5, '0')}`,
      sfLma__Status__c: draft.status,
      sfLma__Expiration__c: draft.expiration,
      sfLma__Seats__c: draft.seats,
      sfLma__Used_Licenses__c: draft.used,
      sfLma__Install_Date__c: formatDay(draft.installDay),
      sfLma__Subscriber_Org_ID__c: org.id,
      sfLma__Subscriber_Org_Is_Sandbox__c: org.sandbox,
      sfLma__Org_Instance__c: org.instance,
      sfLma__Org_Type__c: org.edition,
      sfLma__Org_Status__c: org.status,
      sfLma__Org_Trial_Expiration__c: org.trialEnds === undefined ? null : formatDay(org.trialEnds),
      sfLma__Package__c: pkg.record.Id,
      sfLma__Package_Version__c: version.record.Id,
      sfLma__Version_Number__c: version.number,
      sfLma__Lead__c: links.lead ?? null,
      sfLma__Account__c: links.account ?? null,
      sfLma__Contact__c: links.contact ?? null,
      sfLma__Proxy_User__c: `${packageId.slice(0, 15)}@${org.id.slice(0, 15)}`,
      sfLma__Package_License_ID__c: foreignId(this.dice, '050'),
      sfLma__Last_Modified__c: lastModifiedText,
      // The LMA owns every license record.
      OwnerId: this.integrationUserId,
      CreatedDate: draft.createdText,
      LastModifiedDate: lastModifiedText,
      CreatedById: this.integrationUserId,
    };
    this.data.sfLma__License__c.push(record);
    for (const row of draft.history) {
      row.Id = this.ids.next(this.schema.sfLma__License__History.keyPrefix);
      row.ParentId = record.Id;
      this.data.sfLma__License__History.push(row);
    }
    if (draft.lead?.converted) this.addLead(draft);
  }

  /** The lead the LMA created at install; converted ones stay, marked converted. */
  private addLead(draft: DraftLicense): string {
    const converted = draft.lead?.converted === true;
    const person = converted ? draft.customer.contact : this.person();
    const status = converted
      ? 'Closed - Converted'
      : draft.lead?.uninstalled
        ? 'Closed - Not Converted'
        : this.dice.pick(['Open - Not Contacted', 'Working - Contacted']);
    return this.add('Lead', {
      Name: `${person.first} ${person.last}`,
      FirstName: person.first,
      LastName: person.last,
      Company: draft.customer.name,
      Email: emailOf(person, draft.customer.domain),
      LeadSource: 'Package Installation',
      Status: status,
      OwnerId: this.leadManagerId,
      IsConverted: converted,
      ...this.stamp(draft.createdText),
    }).Id;
  }

  /** The customer's account and contact, made on first use and dated from when they became one. */
  private accountLinks(customer: Customer): LicenseLinks {
    if (!customer.account || !customer.contactRecord) {
      // Early on the day they became a customer: before that day's installs and conversions.
      const since = formatInstant((customer.since ?? this.today - 1) * DAY_SECONDS + 7 * 3600);
      customer.account = this.add('Account', {
        Name: customer.name,
        Website: `https://www.${customer.domain}`,
        OwnerId: customer.ownerId,
        ...this.stamp(since),
      });
      const { first, last } = customer.contact;
      customer.contactRecord = this.add('Contact', {
        Name: `${first} ${last}`,
        FirstName: first,
        LastName: last,
        Email: emailOf(customer.contact, customer.domain),
        AccountId: customer.account.Id,
        OwnerId: customer.ownerId,
        ...this.stamp(since),
      });
    }
    return { account: customer.account.Id, contact: customer.contactRecord.Id };
  }
}

/** The demo LMO's data; deterministic for the same options. */
export function generateDemoData(options: DemoDataOptions): OrgData {
  const licenses = options.licenses ?? DEFAULT_DEMO_LICENSES;
  if (!Number.isInteger(licenses) || licenses < 0) {
    throw new Error(`generateDemoData: licenses must be a whole number ≥ 0, got ${licenses}`);
  }
  return new DemoGenerator(options.today, options.seed ?? DEFAULT_DEMO_SEED, licenses).generate();
}
