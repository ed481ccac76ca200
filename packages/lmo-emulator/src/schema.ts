/**
 * The sObjects the embedded LMO serves, with the LMA data model's fields and types
 * (see ../shared/lma-data-model.md). One source for describe, SOQL validation and
 * dataset validation, so the three never disagree.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'date'
  | 'datetime'
  | 'reference';

export type SObjectRecord = Record<string, unknown> & { Id: string };

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** For references: the target object and the relationship name used in SOQL paths. */
  referenceTo?: string;
  relationshipName?: string;
  picklistValues?: string[];
  /** Formula fields are computed from the record itself, never stored. */
  formula?: (record: Record<string, unknown>) => unknown;
  /** The field cannot be set by a loaded dataset (system fields, formulas). */
  nillable?: boolean;
  length?: number;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
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
const ref = (name: string, label: string, referenceTo: string, relationshipName: string): FieldDef =>
  f(name, 'reference', label, { referenceTo, relationshipName });
const formula = (name: string, type: FieldType, label: string, compute: FieldDef['formula']): FieldDef =>
  f(name, type, label, { formula: compute });

const systemFields = (): FieldDef[] => [
  f('Id', 'id', 'Record ID'),
  f('CreatedDate', 'datetime', 'Created Date'),
  f('LastModifiedDate', 'datetime', 'Last Modified Date'),
  ref('CreatedById', 'Created By ID', 'User', 'CreatedBy'),
];

/** The name and email fields that Lead and Contact share. */
const personFields = (): FieldDef[] => [
  f('Name', 'string', 'Full Name'),
  f('FirstName', 'string', 'First Name'),
  f('LastName', 'string', 'Last Name'),
  f('Email', 'email', 'Email'),
];

export const LICENSE_STATUSES = ['Trial', 'Active', 'Suspended', 'Uninstalled'] as const;

const LICENSE: ObjectDef = {
  name: 'sfLma__License__c',
  label: 'License',
  labelPlural: 'Licenses',
  keyPrefix: 'a0L',
  childRelationships: [{ relationshipName: 'Histories', childSObject: 'sfLma__License__History', field: 'ParentId' }],
  fields: [
    ...systemFields(),
    f('Name', 'string', 'License Name'),
    f('sfLma__Status__c', 'picklist', 'Status', { picklistValues: [...LICENSE_STATUSES] }),
    formula('sfLma__License_Status__c', 'string', 'License Status', (r) => r.sfLma__Status__c ?? null),
    f('sfLma__Expiration__c', 'date', 'Expiration'),
    formula('sfLma__Expiration_Date__c', 'string', 'Expiration Date', (r) => {
      const d = r.sfLma__Expiration__c;
      return d == null || d === PERPETUAL_LEGACY_DATE ? 'Does not expire' : d;
    }),
    f('sfLma__Seats__c', 'double', 'Seats'),
    formula('sfLma__Licensed_Seats__c', 'string', 'Licensed Seats', (r) => {
      const s = r.sfLma__Seats__c;
      if (s == null) return null;
      return s === -1 ? 'Site License' : String(s);
    }),
    f('sfLma__Used_Licenses__c', 'double', 'Used Licenses'),
    f('sfLma__Install_Date__c', 'date', 'Install Date'),
    f('sfLma__Subscriber_Org_ID__c', 'string', 'Subscriber Org ID', { length: 18 }),
    f('sfLma__Subscriber_Org_Is_Sandbox__c', 'boolean', 'Subscriber Org Is Sandbox'),
    formula('sfLma__Is_Sandbox__c', 'boolean', 'Is Sandbox', (r) => r.sfLma__Subscriber_Org_Is_Sandbox__c === true),
    f('sfLma__Org_Instance__c', 'string', 'Org Instance'),
    formula('sfLma__Instance__c', 'string', 'Instance', (r) => r.sfLma__Org_Instance__c ?? null),
    f('sfLma__Org_Type__c', 'string', 'Org Type'),
    formula('sfLma__Org_Edition__c', 'string', 'Org Edition', (r) => r.sfLma__Org_Type__c ?? null),
    f('sfLma__Org_Status__c', 'string', 'Org Status'),
    f('sfLma__Trial_Expiration_Date__c', 'string', 'Trial Expiration Date'),
    ref('sfLma__Package__c', 'Package', 'sfLma__Package__c', 'sfLma__Package__r'),
    ref('sfLma__Package_Version__c', 'Package Version', 'sfLma__Package_Version__c', 'sfLma__Package_Version__r'),
    f('sfLma__Version_Number__c', 'string', 'Version Number', { length: 40 }),
    ref('sfLma__Lead__c', 'Lead', 'Lead', 'sfLma__Lead__r'),
    ref('sfLma__Account__c', 'Account', 'Account', 'sfLma__Account__r'),
    ref('sfLma__Contact__c', 'Contact', 'Contact', 'sfLma__Contact__r'),
    f('sfLma__Proxy_User__c', 'string', 'Proxy User', { length: 40 }),
    f('sfLma__Package_License_ID__c', 'string', 'Package License ID', { length: 18 }),
    f('sfLma__Last_Modified__c', 'datetime', 'Information Current As Of'),
  ],
};

const PACKAGE: ObjectDef = {
  name: 'sfLma__Package__c',
  label: 'Package',
  labelPlural: 'Packages',
  keyPrefix: 'a0P',
  childRelationships: [
    { relationshipName: 'sfLma__Licenses__r', childSObject: 'sfLma__License__c', field: 'sfLma__Package__c' },
    { relationshipName: 'sfLma__Versions__r', childSObject: 'sfLma__Package_Version__c', field: 'sfLma__Package__c' },
  ],
  fields: [
    ...systemFields(),
    f('Name', 'string', 'Package Name'),
    f('sfLma__Package_ID__c', 'string', 'Package ID', { length: 18 }),
    f('sfLma__Developer_Name__c', 'string', 'Developer Name'),
    f('sfLma__Developer_Org_ID__c', 'string', 'Developer Org ID', { length: 18 }),
    f('sfLma__Latest_Version__c', 'string', 'Latest Version'),
    f('sfLma__Release_Date__c', 'date', 'Release Date'),
    ref('sfLma__Lead_Manager__c', 'Lead Manager', 'User', 'sfLma__Lead_Manager__r'),
  ],
};

const PACKAGE_VERSION: ObjectDef = {
  name: 'sfLma__Package_Version__c',
  label: 'Package Version',
  labelPlural: 'Package Versions',
  keyPrefix: 'a0V',
  childRelationships: [
    { relationshipName: 'sfLma__Licenses__r', childSObject: 'sfLma__License__c', field: 'sfLma__Package_Version__c' },
  ],
  fields: [
    ...systemFields(),
    f('Name', 'string', 'Version Name'),
    ref('sfLma__Package__c', 'Package', 'sfLma__Package__c', 'sfLma__Package__r'),
    f('sfLma__Version__c', 'string', 'Version'),
    f('sfLma__Version_Number__c', 'string', 'Version Number'),
    f('sfLma__Version_ID__c', 'string', 'Version ID', { length: 18 }),
    f('sfLma__Release_Date__c', 'date', 'Release Date'),
    f('sfLma__Is_Beta__c', 'boolean', 'Beta'),
    f('sfLma__Sequence__c', 'double', 'Sequence'),
  ],
};

const LICENSE_HISTORY: ObjectDef = {
  name: 'sfLma__License__History',
  label: 'License History',
  labelPlural: 'License History',
  keyPrefix: '017',
  childRelationships: [],
  fields: [
    f('Id', 'id', 'History ID'),
    ref('ParentId', 'License ID', 'sfLma__License__c', 'Parent'),
    f('Field', 'picklist', 'Changed Field', {
      picklistValues: [
        'created',
        'sfLma__Status__c',
        'sfLma__Seats__c',
        'sfLma__Expiration__c',
        'sfLma__Package_Version__c',
        'sfLma__Used_Licenses__c',
      ],
    }),
    // OldValue/NewValue are anyType in Salesforce: stored as given, not filterable.
    f('OldValue', 'string', 'Old Value'),
    f('NewValue', 'string', 'New Value'),
    f('DataType', 'string', 'Data Type'),
    f('CreatedDate', 'datetime', 'Created Date'),
    ref('CreatedById', 'Created By ID', 'User', 'CreatedBy'),
  ],
};

const LEAD: ObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  childRelationships: [],
  fields: [
    ...systemFields(),
    ...personFields(),
    f('Company', 'string', 'Company'),
    f('LeadSource', 'picklist', 'Lead Source'),
    f('Status', 'picklist', 'Status'),
    ref('OwnerId', 'Owner ID', 'User', 'Owner'),
    f('IsConverted', 'boolean', 'Converted'),
  ],
};

const ACCOUNT: ObjectDef = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  childRelationships: [
    { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId' },
    { relationshipName: 'sfLma__Licenses__r', childSObject: 'sfLma__License__c', field: 'sfLma__Account__c' },
  ],
  fields: [
    ...systemFields(),
    f('Name', 'string', 'Account Name'),
    f('Website', 'url', 'Website'),
    ref('OwnerId', 'Owner ID', 'User', 'Owner'),
  ],
};

const CONTACT: ObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  childRelationships: [],
  fields: [
    ...systemFields(),
    ...personFields(),
    ref('AccountId', 'Account ID', 'Account', 'Account'),
    ref('OwnerId', 'Owner ID', 'User', 'Owner'),
  ],
};

const USER: ObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  childRelationships: [],
  fields: [
    f('Id', 'id', 'User ID'),
    f('Name', 'string', 'Full Name'),
    f('Username', 'string', 'Username'),
    f('Email', 'email', 'Email'),
    f('IsActive', 'boolean', 'Active'),
    f('CreatedDate', 'datetime', 'Created Date'),
    f('LastModifiedDate', 'datetime', 'Last Modified Date'),
  ],
};

const ORGANIZATION: ObjectDef = {
  name: 'Organization',
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  childRelationships: [],
  fields: [
    f('Id', 'id', 'Organization ID'),
    f('Name', 'string', 'Name'),
    f('OrganizationType', 'string', 'Edition'),
    f('InstanceName', 'string', 'Instance Name'),
    f('IsSandbox', 'boolean', 'Is Sandbox'),
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
  const standard = [LEAD, ACCOUNT, CONTACT, USER, ORGANIZATION];
  const history = options.historyTracked === false ? [] : [LICENSE_HISTORY];
  const lma = options.lmaInstalled ? [LICENSE, PACKAGE, PACKAGE_VERSION, ...history] : [];
  const present = new Set([...lma, ...standard].map((d) => d.name));
  const schema: Schema = {};
  for (const def of [...lma, ...standard]) {
    schema[def.name] = {
      ...def,
      childRelationships: def.childRelationships.filter((c) => present.has(c.childSObject)),
    };
  }
  return schema;
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
