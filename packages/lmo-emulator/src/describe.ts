/**
 * The REST API's metadata and record answers, built from the one schema: describeGlobal,
 * describe of one sObject, a record by Id, and the versions list.
 */
import type { Org } from './org.js';
import type { FieldDef, FieldType, ObjectDef, Schema, SObjectRecord } from './schema.js';
import { isAggregatable, isGroupable } from './schema.js';

const sobjectUrl = (apiVersion: string, objectName: string) => `/services/data/v${apiVersion}/sobjects/${objectName}`;

const isCustom = (name: string) => name.endsWith('__c');

/** Salesforce's default lengths by type, where the schema does not set one. */
const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  picklist: 255,
  url: 255,
  email: 80,
  phone: 40,
  textarea: 32768,
};

const SOAP_TYPE: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  url: 'xsd:string',
  phone: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  anyType: 'xsd:anyType',
};

const NUMERIC = new Set<FieldType>(['double', 'currency']);

/** What an integration user with edit rights could write: neither formulas nor what Salesforce sets itself. */
const writable = (field: FieldDef) => !field.formula && !field.system && field.type !== 'id';

function describeField(field: FieldDef) {
  const length = field.length ?? DEFAULT_LENGTH[field.type] ?? 0;
  const isName = field.name === 'Name';
  const history = field.type === 'anyType';
  return {
    name: field.name,
    type: field.type,
    label: field.label,
    length,
    byteLength: length * 3,
    precision: NUMERIC.has(field.type) ? (field.precision ?? 18) : 0,
    scale: NUMERIC.has(field.type) ? (field.scale ?? 0) : 0,
    digits: field.type === 'int' ? 9 : 0,
    soapType: SOAP_TYPE[field.type],
    nillable: field.nillable ?? false,
    calculated: field.formula !== undefined,
    calculatedFormula: null,
    custom: isCustom(field.name),
    nameField: isName,
    autoNumber: field.autoNumber === true,
    idLookup: field.type === 'id' || isName,
    externalId: false,
    unique: false,
    caseSensitive: false,
    filterable: !history && field.type !== 'textarea',
    sortable: !history && field.type !== 'textarea',
    groupable: !history && isGroupable(field),
    aggregatable: !history && isAggregatable(field),
    createable: writable(field) || field.name === 'OwnerId',
    updateable: writable(field) || field.name === 'OwnerId',
    defaultedOnCreate: field.type === 'boolean' || field.system === true || field.name === 'OwnerId',
    deprecatedAndHidden: false,
    htmlFormatted: field.name === 'sfLma__Help__c',
    dependentPicklist: false,
    restrictedPicklist: field.restrictedPicklist === true,
    cascadeDelete: false,
    restrictedDelete: false,
    writeRequiresMasterRead: false,
    relationshipOrder: field.masterDetail ? 0 : null,
    polymorphicForeignKey: field.polymorphicTo !== undefined,
    relationshipName: field.relationshipName ?? null,
    referenceTo: field.polymorphicTo ?? (field.referenceTo ? [field.referenceTo] : []),
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      value,
      label: value,
      active: true,
      defaultValue: false,
      validFor: null,
    })),
  };
}

/** The flags both describe answers carry. The embedded LMO serves reads only, and says so. */
function objectSummary(def: ObjectDef, apiVersion: string) {
  const url = sobjectUrl(apiVersion, def.name);
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: isCustom(def.name),
    queryable: true,
    retrieveable: true,
    searchable: false,
    createable: false,
    updateable: false,
    deletable: false,
    urls: { sobject: url, describe: `${url}/describe`, rowTemplate: `${url}/{ID}` },
  };
}

/** `GET …/sobjects/` */
export function describeGlobal(schema: Schema, apiVersion: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: Object.values(schema).map((def) => objectSummary(def, apiVersion)),
  };
}

/** `GET …/sobjects/<Type>`: the object's basic information; this LMO keeps no recently viewed items. */
export function sobjectBasicInfo(def: ObjectDef, apiVersion: string) {
  return { objectDescribe: objectSummary(def, apiVersion), recentItems: [] };
}

/** `GET …/sobjects/<Type>/describe` */
export function describeSObject(def: ObjectDef, apiVersion: string) {
  return {
    ...objectSummary(def, apiVersion),
    fields: def.fields.map(describeField),
    childRelationships: def.childRelationships.map((child) => ({
      childSObject: child.childSObject,
      field: child.field,
      relationshipName: child.relationshipName,
      cascadeDelete: child.cascadeDelete === true,
      restrictedDelete: false,
      deprecatedAndHidden: false,
    })),
  };
}

/** `GET …/sobjects/<Type>/<Id>`: the record with every field (or those asked for), formulas computed. */
export function recordResource(
  org: Org,
  def: ObjectDef,
  record: SObjectRecord,
  apiVersion: string,
  fields: FieldDef[],
) {
  const body: Record<string, unknown> = {
    attributes: { type: def.name, url: `${sobjectUrl(apiVersion, def.name)}/${record.Id}` },
  };
  for (const field of fields) body[field.name] = org.value(def, record, field.name) ?? null;
  return body;
}

const SEASONS = ['Spring', 'Summer', 'Winter'] as const;

/** Release name of an API version: 60.0 was Spring '24, three releases a year. */
function releaseLabel(major: number): string {
  const sinceSpring24 = major - 60;
  const season = SEASONS[((sinceSpring24 % 3) + 3) % 3];
  const year = 24 + Math.floor((sinceSpring24 + 1) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

const OLDEST_SERVED_VERSION = 31;

/** 7.0 to 30.0: retired (410 GONE) rather than unknown (404). */
export const isRetiredVersion = (version: string): boolean =>
  /^\d+\.0$/.test(version) && Number(version) >= 7 && Number(version) < OLDEST_SERVED_VERSION;

/** `GET /services/data/`: every version from 31.0 up to the one this org runs. */
export function versions(apiVersion: string) {
  const newest = Math.floor(Number(apiVersion));
  const list = [];
  for (let major = OLDEST_SERVED_VERSION; major <= newest; major++) {
    list.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return list;
}
