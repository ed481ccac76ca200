/**
 * What the bot reads from the LMO, field by field, against what the integration user may read. On connect (and at
 * every catalog refresh) the bot describes the objects it reads; from their fields it builds the SELECT lists of its
 * queries. A field it cannot do without stops every answer with a message that names it and how to grant it; an
 * optional one is left out of the queries, and the answers leave out the fact it gives.
 */

export const LICENSE_OBJECT = 'sfLma__License__c';
export const PACKAGE_OBJECT = 'sfLma__Package__c';
export const HISTORY_OBJECT = 'sfLma__License__History';

/** A fact an answer shows that rests on optional fields. */
export type LicenseFact =
  | 'seats'
  | 'used seats'
  | 'install date'
  | 'subscriber org'
  | 'sandbox'
  | 'instance'
  | 'edition'
  | 'version'
  | 'account'
  | 'lead'
  | 'owner';

interface Need {
  object: string;
  field: string;
  /** Its label in Setup, for the grant instructions. */
  label: string;
  /** undefined: the bot cannot answer without it. */
  fact?: LicenseFact;
}

/** The objects the bot describes, with their labels in Setup. */
export const READ_OBJECTS: Record<string, string> = {
  [LICENSE_OBJECT]: 'License',
  [PACKAGE_OBJECT]: 'Package',
  Account: 'Account',
  Lead: 'Lead',
  User: 'User',
};

/** Every field the bot reads, what it is for, and whether answers can go without it. */
const NEEDS: Need[] = [
  { object: LICENSE_OBJECT, field: 'sfLma__Status__c', label: 'Status' },
  { object: LICENSE_OBJECT, field: 'sfLma__Expiration__c', label: 'Expiration' },
  { object: LICENSE_OBJECT, field: 'sfLma__Package__c', label: 'Package' },
  { object: PACKAGE_OBJECT, field: 'Name', label: 'Package Name' },
  { object: LICENSE_OBJECT, field: 'sfLma__Seats__c', label: 'Seats', fact: 'seats' },
  { object: LICENSE_OBJECT, field: 'sfLma__Used_Licenses__c', label: 'Used Licenses', fact: 'used seats' },
  { object: LICENSE_OBJECT, field: 'sfLma__Install_Date__c', label: 'Install Date', fact: 'install date' },
  { object: LICENSE_OBJECT, field: 'sfLma__Subscriber_Org_ID__c', label: 'Subscriber Org ID', fact: 'subscriber org' },
  {
    object: LICENSE_OBJECT,
    field: 'sfLma__Subscriber_Org_Is_Sandbox__c',
    label: 'Subscriber Org Is Sandbox',
    fact: 'sandbox',
  },
  { object: LICENSE_OBJECT, field: 'sfLma__Org_Instance__c', label: 'Org Instance', fact: 'instance' },
  { object: LICENSE_OBJECT, field: 'sfLma__Org_Type__c', label: 'Org Type', fact: 'edition' },
  { object: LICENSE_OBJECT, field: 'sfLma__Version_Number__c', label: 'Version Number', fact: 'version' },
  { object: LICENSE_OBJECT, field: 'sfLma__Account__c', label: 'Account', fact: 'account' },
  { object: 'Account', field: 'Name', label: 'Account Name', fact: 'account' },
  { object: LICENSE_OBJECT, field: 'sfLma__Lead__c', label: 'Lead', fact: 'lead' },
  { object: 'Lead', field: 'Company', label: 'Company', fact: 'lead' },
  { object: 'Account', field: 'OwnerId', label: 'Account Owner', fact: 'owner' },
  { object: 'Lead', field: 'OwnerId', label: 'Lead Owner', fact: 'owner' },
  { object: 'User', field: 'Name', label: 'Full Name', fact: 'owner' },
];

/** A whole License row, or only what ranks it by seats. */
export type LicensePart = 'row' | 'seats';
const SEAT_RANKING = ['Id', 'sfLma__Seats__c', 'sfLma__Used_Licenses__c'];

/** An object's readable fields from its describe; null when the user cannot read the object at all. */
export type Readable = Map<string, ReadonlySet<string> | null>;

export interface Unreadable {
  object: string;
  /** undefined: the whole object. */
  field?: string;
  /** The Setup labels, for the grant instructions. */
  objectLabel: string;
  fieldLabel?: string;
  fact?: LicenseFact;
}

/** What the integration user may read of what the bot needs, and the SELECT lists that follow from it. */
export class FieldAccess {
  /** Needed and unreadable: no answer can be given. */
  readonly missing: Unreadable[];
  /** Optional and unreadable: left out of queries and answers. */
  readonly omitted: Unreadable[];
  /** The facts answers leave out. */
  readonly omittedFacts: ReadonlySet<LicenseFact>;

  constructor(private readonly readable: Readable) {
    const unreadable = NEEDS.filter((need) => !this.can(need.object, need.field)).map((need) => ({
      object: need.object,
      objectLabel: READ_OBJECTS[need.object] ?? need.object,
      ...(this.readable.get(need.object) === null ? {} : { field: need.field, fieldLabel: need.label }),
      fact: need.fact,
    }));
    const unique = (list: Unreadable[]) =>
      list.filter((u, i) => list.findIndex((o) => o.object === u.object && o.field === u.field) === i);
    this.missing = unique(unreadable.filter((u) => u.fact === undefined));
    this.omitted = unique(unreadable.filter((u) => u.fact !== undefined));
    this.omittedFacts = new Set(this.omitted.map((u) => u.fact!));
  }

  /** Everything readable: what a fixed field list assumed (tests, and the LMO before its first describe). */
  static everything(): FieldAccess {
    return new FieldAccess(new Map());
  }

  /** Whether a field of an object can be read (objects that were not described are assumed readable). */
  can(object: string, field: string): boolean {
    const fields = this.readable.get(object);
    if (fields === undefined) return true;
    return fields?.has(field) === true;
  }

  /** Whether the answers can show a fact. */
  shows(fact: LicenseFact): boolean {
    return !this.omittedFacts.has(fact);
  }

  /**
   * The fields of a License row: one query carries package, account, lead and owners. `seats`: only those a ranking by
   * seats reads (Id, seats bought and used), a sixth of a row's bytes: the rest is what an answer shows of its rows.
   */
  licenseFields(part: LicensePart = 'row'): string[] {
    const fields = [
      'Id',
      'Name',
      'sfLma__Status__c',
      'sfLma__Expiration__c',
      ...this.when('seats', 'sfLma__Seats__c'),
      ...this.when('used seats', 'sfLma__Used_Licenses__c'),
      ...this.when('install date', 'sfLma__Install_Date__c'),
      ...this.when('subscriber org', 'sfLma__Subscriber_Org_ID__c'),
      ...this.when('sandbox', 'sfLma__Subscriber_Org_Is_Sandbox__c'),
      ...this.when('instance', 'sfLma__Org_Instance__c'),
      ...this.when('edition', 'sfLma__Org_Type__c'),
      ...this.when('version', 'sfLma__Version_Number__c'),
      'sfLma__Package__c',
      'sfLma__Package__r.Name',
      ...this.customerFields(),
      ...this.when('owner', ...(this.shows('account') ? ['sfLma__Account__r.Owner.Name'] : [])),
      ...this.when('owner', ...(this.shows('lead') ? ['sfLma__Lead__r.Owner.Name'] : [])),
      'LastModifiedDate',
    ];
    return part === 'row' ? fields : fields.filter((f) => SEAT_RANKING.includes(f));
  }

  /** The fields of a LicenseRef: the license, its package and its customer. */
  refFields(): string[] {
    return ['Id', 'Name', 'sfLma__Package__r.Name', ...this.customerFields().filter((f) => f.includes('.'))];
  }

  /** A history row's license, through its `Parent` relationship (the LicenseRef fields but Id, which is ParentId). */
  historyParentFields(): string[] {
    return this.refFields()
      .filter((f) => f !== 'Id')
      .map((f) => `Parent.${f}`);
  }

  /** Who the customer is: the account's name, else the lead's company (with their ids, for grouping and links). */
  private customerFields(): string[] {
    return [
      ...this.when('account', 'sfLma__Account__c', 'sfLma__Account__r.Name'),
      ...this.when('lead', 'sfLma__Lead__c', 'sfLma__Lead__r.Company'),
    ];
  }

  private when(fact: LicenseFact, ...fields: string[]): string[] {
    return this.shows(fact) ? fields : [];
  }
}

/** `Object.Field`, or the object when the whole object is unreadable. */
export const unreadablePath = (u: Unreadable) => (u.field ? `${u.object}.${u.field}` : u.object);
const path = unreadablePath;

/** How to grant what is unreadable, in Setup's words. */
export function grant(list: Unreadable[]): string {
  const objects = [...new Set(list.map((u) => u.objectLabel))];
  const fields = list.filter((u) => u.fieldLabel).map((u) => `${u.objectLabel}: ${u.fieldLabel}`);
  return (
    `a permission set with Read on ${objects.join(', ')}${fields.length ? ` and on the fields ${fields.join(', ')}` : ''} ` +
    '(Setup → Permission Sets → the integration user’s set → Object Settings), assigned to the integration user'
  );
}

/** Why no answer can be given, and how to fix it; undefined when the user can read all the bot needs. */
export function missingMessage(access: FieldAccess): string | undefined {
  if (access.missing.length === 0) return undefined;
  const what = access.missing.map(path).join(', ');
  return `The LMO's integration user cannot read ${what}, which every answer needs. Grant ${grant(access.missing)}.`;
}

/** The one start-up warning about optional fields; undefined when nothing is left out. */
export function omittedWarning(access: FieldAccess): string | undefined {
  if (access.omitted.length === 0) return undefined;
  const facts = [...access.omittedFacts].join(', ');
  return (
    `The LMO's integration user cannot read ${access.omitted.map(path).join(', ')}: answers leave out ${facts}. ` +
    `To show them, grant ${grant(access.omitted)}.`
  );
}
