/**
 * The sObjects the embedded LMO serves: every field the LMA's objects carry in real orgs, with their types and
 * describe properties, the standard system fields, and the common standard fields of Lead, Account, Contact and
 * User (see ../shared/lma-data-model.md and the package README's table of confirmed and inferred fields). One
 * source for describe, SOQL validation and dataset validation, so the three never disagree.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference'
  /** History OldValue/NewValue: the tracked field's own type, selectable but never filtered or sorted. */
  | 'anyType';

/** What Salesforce lets GROUP BY use: not numbers with decimals, datetimes, long text, anyType or formulas. */
export function isGroupable(field: FieldDef): boolean {
  const ungroupable: FieldType[] = ['double', 'currency', 'datetime', 'textarea', 'anyType'];
  return !ungroupable.includes(field.type) && field.formula === undefined;
}

/** What aggregate functions take: every field but long text and booleans (history values aside). */
export const isAggregatable = (field: FieldDef): boolean => field.type !== 'textarea' && field.type !== 'boolean';

export type SObjectRecord = Record<string, unknown> & { Id: string };

/** A formula field whose value is a plain function of one stored field, so an export's value can restore it. */
export interface FormulaSource {
  field: string;
  /** The stored field's value for an exported formula value; undefined when it cannot be told. */
  restore: (value: unknown) => unknown;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** For references: the target object and the relationship name used in SOQL paths. */
  referenceTo?: string;
  /**
   * A polymorphic reference (an owner that may be a queue): every object it may point to. Paths read the parent's
   * fields as `referenceTo`'s (a queue's Name as a user's); describe lists them all.
   */
  polymorphicTo?: string[];
  relationshipName?: string;
  picklistValues?: string[];
  /** Only the listed values are allowed (the LMA's status); other picklists take any value, as orgs add their own. */
  restrictedPicklist?: boolean;
  /** Formula fields are computed from the record itself, never stored. */
  formula?: (record: Record<string, unknown>) => unknown;
  formulaSource?: FormulaSource;
  nillable?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  /** Set by Salesforce (Id, audit fields, auto-numbers): neither createable nor updateable. */
  system?: boolean;
  autoNumber?: boolean;
  /** Master-detail: required, its children are deleted with the parent. */
  masterDetail?: boolean;
  /** A custom field that is not part of the LMA: inferred from a dataset's values. */
  inferred?: boolean;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete?: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  childRelationships: ChildRelationship[];
}

const PERPETUAL_LEGACY_DATE = '1970-01-01';

const f = (name: string, type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  label,
  nillable: type !== 'id' && type !== 'boolean',
  ...extra,
});
const ref = (
  name: string,
  label: string,
  referenceTo: string,
  relationshipName: string,
  extra: Partial<FieldDef> = {},
): FieldDef => f(name, 'reference', label, { referenceTo, relationshipName, ...extra });
const formula = (
  name: string,
  type: FieldType,
  label: string,
  compute: FieldDef['formula'],
  formulaSource?: FormulaSource,
): FieldDef => f(name, type, label, { formula: compute, formulaSource, length: type === 'string' ? 1300 : undefined });
/** A formula that shows one stored field as it is (Instance ← Org Instance, …). */
const mirror = (name: string, type: FieldType, label: string, source: string): FieldDef =>
  formula(name, type, label, (r) => r[source] ?? null, { field: source, restore: (v) => v });
const system = (name: string, type: FieldType, label: string, extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, type, label, { system: true, nillable: false, ...extra });
const picklist = (name: string, label: string, values: string[], extra: Partial<FieldDef> = {}): FieldDef =>
  f(name, 'picklist', label, { picklistValues: values, ...extra });

interface SystemFieldOptions {
  /** The object has an owner (not a master-detail child, a user, the org or a history row). */
  owner: boolean;
  /** Its records may be owned by a queue (a Group), as leads and custom objects may; accounts and contacts not. */
  queueOwned?: boolean;
  /** Activities are enabled: LastActivityDate. */
  activities: boolean;
  /** Users cannot be deleted, so they have no IsDeleted. */
  deletable?: boolean;
}

/** The fields Salesforce puts on every record of an object of this kind. */
const systemFields = (o: SystemFieldOptions): FieldDef[] => [
  system('Id', 'id', 'Record ID'),
  ...(o.owner
    ? [
        ref('OwnerId', 'Owner ID', 'User', 'Owner', {
          nillable: false,
          ...(o.queueOwned ? { polymorphicTo: ['Group', 'User'] } : {}),
        }),
      ]
    : []),
  ...(o.deletable === false ? [] : [system('IsDeleted', 'boolean', 'Deleted')]),
  system('CreatedDate', 'datetime', 'Created Date'),
  ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', { system: true, nillable: false }),
  system('LastModifiedDate', 'datetime', 'Last Modified Date'),
  ref('LastModifiedById', 'Last Modified By ID', 'User', 'LastModifiedBy', { system: true, nillable: false }),
  system('SystemModstamp', 'datetime', 'System Modstamp'),
  ...(o.activities ? [system('LastActivityDate', 'date', 'Last Activity', { nillable: true })] : []),
];

/** The name, title and contact fields that Lead and Contact share. */
const personFields = (): FieldDef[] => [
  f('Name', 'string', 'Full Name', { length: 121 }),
  f('FirstName', 'string', 'First Name', { length: 40 }),
  f('LastName', 'string', 'Last Name', { length: 80, nillable: false }),
  picklist('Salutation', 'Salutation', ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']),
  f('Title', 'string', 'Title', { length: 128 }),
  f('Email', 'email', 'Email'),
  f('Phone', 'phone', 'Phone', { length: 40 }),
  f('MobilePhone', 'phone', 'Mobile Phone', { length: 40 }),
  f('Description', 'textarea', 'Description'),
];

const INDUSTRIES = [
  'Banking',
  'Consulting',
  'Education',
  'Finance',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Technology',
];
const LEAD_SOURCES = ['Package Installation', 'Web', 'Phone Inquiry', 'Partner Referral', 'Other'];

/** The help link formula every LMA object carries (sfLma__Help__c). */
const help = (topic: string, text: string): FieldDef =>
  formula(
    'sfLma__Help__c',
    'string',
    'Help',
    () => `<a href="http://www.salesforce.com/docs/en/lma/index_CSH.htm#${topic}" target="_blank">${text}</a>`,
  );

export const LICENSE_STATUSES = ['Trial', 'Active', 'Suspended', 'Uninstalled'] as const;

/** "Does not expire" or the date, as the LMA's formula writes it; an export's text gives the date back. */
const expirationText = (r: Record<string, unknown>) => {
  const d = r.sfLma__Expiration__c;
  return d == null || d === PERPETUAL_LEGACY_DATE ? 'Does not expire' : d;
};
const restoreExpiration = (v: unknown) => (v === 'Does not expire' ? null : v);

/** "Site License" for -1 seats, else the number as text. */
const licensedSeats = (r: Record<string, unknown>) => {
  const s = r.sfLma__Seats__c;
  if (s == null) return null;
  return s === -1 ? 'Site License' : String(s);
};
const restoreSeats = (v: unknown) => {
  if (v === 'Site License') return -1;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

const LICENSE: ObjectDef = {
  name: 'sfLma__License__c',
  label: 'License',
  labelPlural: 'Licenses',
  keyPrefix: 'a0L',
  childRelationships: [
    { relationshipName: 'Histories', childSObject: 'sfLma__License__History', field: 'ParentId', cascadeDelete: true },
  ],
  fields: [
    ...systemFields({ owner: true, queueOwned: true, activities: true }),
    f('Name', 'string', 'License Name', { length: 80, system: true, autoNumber: true, nillable: false }),
    ref('RecordTypeId', 'Record Type ID', 'RecordType', 'RecordType'),
    picklist('sfLma__Status__c', 'Status', [...LICENSE_STATUSES], { restrictedPicklist: true }),
    mirror('sfLma__License_Status__c', 'string', 'License Status', 'sfLma__Status__c'),
    f('sfLma__License_Type__c', 'string', 'License Type', { length: 255 }),
    f('sfLma__Expiration__c', 'date', 'Expiration'),
    formula('sfLma__Expiration_Date__c', 'string', 'Expiration Date', expirationText, {
      field: 'sfLma__Expiration__c',
      restore: restoreExpiration,
    }),
    f('sfLma__Seats__c', 'double', 'Seats', { precision: 8, scale: 0 }),
    formula('sfLma__Licensed_Seats__c', 'string', 'Licensed Seats', licensedSeats, {
      field: 'sfLma__Seats__c',
      restore: restoreSeats,
    }),
    f('sfLma__Used_Licenses__c', 'double', 'Used Licenses', { precision: 18, scale: 0 }),
    f('sfLma__Install_Date__c', 'date', 'Install Date'),
    f('sfLma__Subscriber_Org_ID__c', 'string', 'Subscriber Org ID', { length: 18 }),
    f('sfLma__Subscriber_Org_Is_Sandbox__c', 'boolean', 'Subscriber Org Is Sandbox'),
    mirror('sfLma__Is_Sandbox__c', 'boolean', 'Sandbox', 'sfLma__Subscriber_Org_Is_Sandbox__c'),
    f('sfLma__Org_Instance__c', 'string', 'Org Instance', { length: 255 }),
    mirror('sfLma__Instance__c', 'string', 'Instance', 'sfLma__Org_Instance__c'),
    f('sfLma__Org_Type__c', 'string', 'Org Type', { length: 255 }),
    mirror('sfLma__Org_Edition__c', 'string', 'Org Edition', 'sfLma__Org_Type__c'),
    f('sfLma__Org_Status__c', 'string', 'Org Status', { length: 255 }),
    mirror('sfLma__Org_Status_Formula__c', 'string', 'Org Status', 'sfLma__Org_Status__c'),
    f('sfLma__Org_Trial_Expiration__c', 'date', 'Org Trial Expiration'),
    mirror('sfLma__Org_Expiration_Date__c', 'date', 'Org Expiration Date', 'sfLma__Org_Trial_Expiration__c'),
    mirror('sfLma__Trial_Expiration_Date__c', 'string', 'Trial Expiration Date', 'sfLma__Org_Trial_Expiration__c'),
    ref('sfLma__Package__c', 'Package', 'sfLma__Package__c', 'sfLma__Package__r'),
    ref('sfLma__Package_Version__c', 'Package Version', 'sfLma__Package_Version__c', 'sfLma__Package_Version__r'),
    f('sfLma__Version_Number__c', 'string', 'Version Number', { length: 40 }),
    mirror('sfLma__Package_Version_Number__c', 'string', 'Package Version Number', 'sfLma__Version_Number__c'),
    f('sfLma__Version__c', 'string', 'Version', { length: 20 }),
    ref('sfLma__Lead__c', 'Lead', 'Lead', 'sfLma__Lead__r'),
    ref('sfLma__Account__c', 'Account', 'Account', 'sfLma__Account__r'),
    ref('sfLma__Contact__c', 'Contact', 'Contact', 'sfLma__Contact__r'),
    f('sfLma__Proxy_User__c', 'string', 'Proxy User', { length: 40 }),
    f('sfLma__Package_License_ID__c', 'string', 'Package License ID', { length: 18 }),
    f('sfLma__Last_Modified__c', 'datetime', 'Information Current As Of'),
    help('lma_license_detail.htm', 'Help for License'),
  ],
};

const PACKAGE: ObjectDef = {
  name: 'sfLma__Package__c',
  label: 'Package',
  labelPlural: 'Packages',
  keyPrefix: 'a0P',
  childRelationships: [
    { relationshipName: 'sfLma__Licenses__r', childSObject: 'sfLma__License__c', field: 'sfLma__Package__c' },
    // The LMA's metadata names its child relationships by the field's original id (R00N…).
    {
      relationshipName: 'sfLma__R00N30000001JvR7EAK__r',
      childSObject: 'sfLma__Package_Version__c',
      field: 'sfLma__Package__c',
      cascadeDelete: true,
    },
  ],
  fields: [
    ...systemFields({ owner: true, queueOwned: true, activities: true }),
    f('Name', 'string', 'Package Name', { length: 80, nillable: false }),
    f('sfLma__Package_ID__c', 'string', 'Package ID', { length: 18 }),
    f('sfLma__Developer_Name__c', 'string', 'Developer Name', { length: 80 }),
    f('sfLma__Developer_Org_ID__c', 'string', 'Developer Org ID', { length: 18 }),
    f('sfLma__Latest_Version__c', 'string', 'Latest Version', { length: 20 }),
    f('sfLma__Release_Date__c', 'date', 'Release Date'),
    ref('sfLma__Lead_Manager__c', 'Lead Manager', 'User', 'sfLma__Lead_Manager__r'),
    help('lma_package_detail.htm', 'Help for Packages'),
  ],
};

const PACKAGE_VERSION: ObjectDef = {
  name: 'sfLma__Package_Version__c',
  label: 'Package Version',
  labelPlural: 'Package Versions',
  keyPrefix: 'a0V',
  childRelationships: [
    {
      relationshipName: 'sfLma__R00N30000001JvQxEAK__r',
      childSObject: 'sfLma__License__c',
      field: 'sfLma__Package_Version__c',
    },
  ],
  fields: [
    // A master-detail child: owned through its package, so no OwnerId.
    ...systemFields({ owner: false, activities: true }),
    f('Name', 'string', 'Package Version Name', { length: 80, nillable: false }),
    ref('sfLma__Package__c', 'Package', 'sfLma__Package__c', 'sfLma__Package__r', {
      masterDetail: true,
      nillable: false,
    }),
    f('sfLma__Version__c', 'string', 'Version', { length: 20 }),
    f('sfLma__Version_Number__c', 'string', 'Version Number', { length: 40 }),
    f('sfLma__Version_ID__c', 'string', 'Version ID', { length: 18 }),
    f('sfLma__Release_Date__c', 'date', 'Release Date'),
    f('sfLma__Is_Beta__c', 'boolean', 'Beta'),
    f('sfLma__Sequence__c', 'double', 'Sequence', { precision: 18, scale: 0 }),
    help('lma_package_version_details.htm', 'Help for Package Version'),
  ],
};

/** The License fields whose changes the demo tracks; a dataset's history may name any License field. */
const TRACKED_LICENSE_FIELDS = [
  'created',
  'sfLma__Status__c',
  'sfLma__Seats__c',
  'sfLma__Expiration__c',
  'sfLma__Package_Version__c',
  'sfLma__Used_Licenses__c',
];

const LICENSE_HISTORY: ObjectDef = {
  name: 'sfLma__License__History',
  label: 'License History',
  labelPlural: 'License History',
  keyPrefix: '017',
  childRelationships: [],
  fields: [
    system('Id', 'id', 'History ID'),
    system('IsDeleted', 'boolean', 'Deleted'),
    ref('ParentId', 'License ID', 'sfLma__License__c', 'Parent', { system: true, nillable: false }),
    picklist('Field', 'Changed Field', TRACKED_LICENSE_FIELDS, { system: true, nillable: false }),
    picklist('DataType', 'Data Type', ['Text', 'Double', 'Date', 'DateTime', 'Boolean', 'EntityId', 'DynamicEnum'], {
      system: true,
    }),
    f('OldValue', 'anyType', 'Old Value', { system: true }),
    f('NewValue', 'anyType', 'New Value', { system: true }),
    system('CreatedDate', 'datetime', 'Created Date'),
    ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', { system: true, nillable: false }),
  ],
};

const address = (prefix: string, label: string): FieldDef[] => [
  f(`${prefix}Street`, 'textarea', `${label} Street`, { length: 255 }),
  f(`${prefix}City`, 'string', `${label} City`, { length: 40 }),
  f(`${prefix}State`, 'string', `${label} State/Province`, { length: 80 }),
  f(`${prefix}PostalCode`, 'string', `${label} Zip/Postal Code`, { length: 20 }),
  f(`${prefix}Country`, 'string', `${label} Country`, { length: 80 }),
];

const LEAD: ObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  childRelationships: [
    { relationshipName: 'sfLma__R00N30000001JvRAEA0__r', childSObject: 'sfLma__License__c', field: 'sfLma__Lead__c' },
  ],
  fields: [
    ...systemFields({ owner: true, queueOwned: true, activities: true }),
    ...personFields(),
    f('Company', 'string', 'Company', { length: 255, nillable: false }),
    f('Website', 'url', 'Website'),
    ...address('', 'Address').map((a) => ({ ...a, label: a.label.replace('Address ', '') })),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    picklist(
      'Status',
      'Status',
      ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
      { nillable: false },
    ),
    picklist('Industry', 'Industry', INDUSTRIES),
    picklist('Rating', 'Rating', ['Hot', 'Warm', 'Cold']),
    f('AnnualRevenue', 'currency', 'Annual Revenue', { precision: 18, scale: 0 }),
    f('NumberOfEmployees', 'int', 'Employees'),
    f('IsConverted', 'boolean', 'Converted', { system: true }),
    f('ConvertedDate', 'date', 'Converted Date', { system: true }),
    ref('ConvertedAccountId', 'Converted Account ID', 'Account', 'ConvertedAccount', { system: true }),
    ref('ConvertedContactId', 'Converted Contact ID', 'Contact', 'ConvertedContact', { system: true }),
    f('IsUnreadByOwner', 'boolean', 'Unread By Owner'),
  ],
};

const ACCOUNT: ObjectDef = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  childRelationships: [
    { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId', cascadeDelete: true },
    {
      relationshipName: 'sfLma__R00N30000001JvRMEA0__r',
      childSObject: 'sfLma__License__c',
      field: 'sfLma__Account__c',
    },
  ],
  fields: [
    ...systemFields({ owner: true, activities: true }),
    f('Name', 'string', 'Account Name', { length: 255, nillable: false }),
    picklist('Type', 'Account Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
    ref('ParentId', 'Parent Account ID', 'Account', 'Parent'),
    f('AccountNumber', 'string', 'Account Number', { length: 40 }),
    f('Phone', 'phone', 'Account Phone', { length: 40 }),
    f('Website', 'url', 'Website'),
    picklist('Industry', 'Industry', INDUSTRIES),
    f('AnnualRevenue', 'currency', 'Annual Revenue', { precision: 18, scale: 0 }),
    f('NumberOfEmployees', 'int', 'Employees'),
    ...address('Billing', 'Billing'),
    ...address('Shipping', 'Shipping'),
    f('Description', 'textarea', 'Account Description'),
  ],
};

const CONTACT: ObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  childRelationships: [
    {
      relationshipName: 'sfLma__R00N30000001JvR6EAK__r',
      childSObject: 'sfLma__License__c',
      field: 'sfLma__Contact__c',
    },
  ],
  fields: [
    ...systemFields({ owner: true, activities: true }),
    ...personFields(),
    ref('AccountId', 'Account ID', 'Account', 'Account'),
    f('Department', 'string', 'Department', { length: 80 }),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
    ...address('Mailing', 'Mailing'),
  ],
};

const USER: ObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  childRelationships: [
    {
      relationshipName: 'sfLma__R00N30000001JvRJEA0__r',
      childSObject: 'sfLma__Package__c',
      field: 'sfLma__Lead_Manager__c',
    },
  ],
  fields: [
    ...systemFields({ owner: false, activities: false, deletable: false }),
    f('Username', 'string', 'Username', { length: 80, nillable: false }),
    f('Name', 'string', 'Full Name', { length: 121 }),
    f('FirstName', 'string', 'First Name', { length: 40 }),
    f('LastName', 'string', 'Last Name', { length: 80, nillable: false }),
    f('Alias', 'string', 'Alias', { length: 8 }),
    f('Email', 'email', 'Email', { nillable: false }),
    f('Title', 'string', 'Title', { length: 80 }),
    f('CompanyName', 'string', 'Company Name', { length: 80 }),
    f('IsActive', 'boolean', 'Active'),
    picklist(
      'TimeZoneSidKey',
      'Time Zone',
      ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Paris', 'Asia/Tokyo'],
      {
        nillable: false,
      },
    ),
    picklist('LocaleSidKey', 'Locale', ['en_US', 'en_GB', 'fr_FR', 'de_DE', 'ja_JP'], { nillable: false }),
    picklist('LanguageLocaleKey', 'Language', ['en_US', 'fr', 'de', 'ja'], { nillable: false }),
    picklist('UserType', 'User Type', ['Standard', 'PowerPartner', 'CsnOnly', 'AutomatedProcess'], { system: true }),
    ref('ManagerId', 'Manager ID', 'User', 'Manager'),
    f('LastLoginDate', 'datetime', 'Last Login', { system: true }),
  ],
};

/** Queues (Type 'Queue') own records as users do: trial leads often sit in one until someone picks them up. */
const GROUP: ObjectDef = {
  name: 'Group',
  label: 'Group',
  labelPlural: 'Groups',
  keyPrefix: '00G',
  childRelationships: [],
  fields: [
    ...systemFields({ owner: false, activities: false, deletable: false }),
    f('Name', 'string', 'Name', { length: 40, nillable: false }),
    f('DeveloperName', 'string', 'Developer Name', { length: 80, nillable: false }),
    picklist('Type', 'Type', ['Queue', 'Regular', 'Role', 'RoleAndSubordinates', 'Organization'], {
      nillable: false,
    }),
    f('Email', 'email', 'Email'),
    f('DoesSendEmailToMembers', 'boolean', 'Send Email to Members'),
  ],
};

const ORGANIZATION: ObjectDef = {
  name: 'Organization',
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  childRelationships: [],
  fields: [
    ...systemFields({ owner: false, activities: false, deletable: false }),
    f('Name', 'string', 'Name', { length: 80, nillable: false }),
    f('OrganizationType', 'string', 'Edition', { system: true }),
    f('InstanceName', 'string', 'Instance Name', { system: true }),
    f('IsSandbox', 'boolean', 'Is Sandbox', { system: true }),
    f('NamespacePrefix', 'string', 'Namespace Prefix', { length: 15, system: true }),
    f('TrialExpirationDate', 'datetime', 'Trial Expiration Date', { system: true }),
    f('LanguageLocaleKey', 'string', 'Language', { length: 40, system: true }),
    f('DefaultLocaleSidKey', 'string', 'Locale', { length: 40, system: true }),
    picklist('TimeZoneSidKey', 'Default Time Zone', ['America/Los_Angeles', 'Europe/London', 'Europe/Paris']),
  ],
};

/** Objects that exist only when the License Management App is installed. */
export const LMA_OBJECT_NAMES = [
  'sfLma__License__c',
  'sfLma__Package__c',
  'sfLma__Package_Version__c',
  'sfLma__License__History',
] as const;

export type Schema = Record<string, ObjectDef>;

export interface SchemaOptions {
  lmaInstalled: boolean;
  /** Field history tracking on licenses; without it Salesforce has no sfLma__License__History object. Default true. */
  historyTracked?: boolean;
}

/** The schema of an org; without the LMA installed it holds only the standard objects. */
export function buildSchema(options: SchemaOptions = { lmaInstalled: true }): Schema {
  const standard = [LEAD, ACCOUNT, CONTACT, USER, GROUP, ORGANIZATION];
  const history = options.historyTracked === false ? [] : [LICENSE_HISTORY];
  const lma = options.lmaInstalled ? [LICENSE, PACKAGE, PACKAGE_VERSION, ...history] : [];
  return restrictChildren(Object.fromEntries([...lma, ...standard].map((def) => [def.name, def])));
}

/** Child relationships only to objects and fields the schema has (after an object or a field is taken out). */
export function restrictChildren(schema: Schema): Schema {
  const out: Schema = {};
  for (const def of Object.values(schema)) {
    out[def.name] = {
      ...def,
      childRelationships: def.childRelationships.filter((c) => {
        return schema[c.childSObject]?.fields.some((fd) => fd.name === c.field) === true;
      }),
    };
  }
  return out;
}

/** Case-insensitive object lookup, as Salesforce resolves API names. */
export function findObject(schema: Schema, name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return Object.values(schema).find((o) => o.name.toLowerCase() === lower);
}

/** Case-insensitive field lookup on one object. */
export function findField(def: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return def.fields.find((fd) => fd.name.toLowerCase() === lower);
}

/** Case-insensitive lookup of a parent relationship (`sfLma__Account__r`, `Owner`). */
export function findRelationship(def: ObjectDef, relationshipName: string): FieldDef | undefined {
  const lower = relationshipName.toLowerCase();
  return def.fields.find((fd) => fd.relationshipName?.toLowerCase() === lower);
}

/** The in-memory data of an org: records by object API name. */
export type OrgData = Record<string, SObjectRecord[]>;
