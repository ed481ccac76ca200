/**
 * Field paths (`Name`, `sfLma__Account__r.Owner.Name`) resolved once against the schema into
 * readers that walk parent lookups by Id, so evaluating a path per row costs only Map lookups.
 */

import type { Org } from '../org.js';
import { readField } from '../org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { findField, findObject, findRelationship } from '../schema.js';
import { noSuchColumn, SoqlError } from './errors.js';

export type RecordReader = (record: SObjectRecord) => unknown;

export interface FieldPath {
  /** The path in the schema's spelling, e.g. `sfLma__Package__r.Name`. */
  name: string;
  field: FieldDef;
  /** The object that owns `field` (the last parent on the path). */
  owner: ObjectDef;
  /** The reference fields walked to reach `owner`, in order. */
  hops: FieldDef[];
  read: RecordReader;
}

export interface ParentHop {
  relationship: FieldDef;
  parentDef: ObjectDef;
}

/** Splits `l.sfLma__Package__r.Name` into segments, dropping a leading FROM alias. */
export function pathSegments(text: string, alias?: string): string[] {
  const segments = text.split('.');
  if (alias && segments.length > 1 && segments[0].toLowerCase() === alias.toLowerCase()) segments.shift();
  return segments;
}

export function resolveParent(org: Org, def: ObjectDef, relationshipName: string): ParentHop {
  const relationship = findRelationship(def, relationshipName);
  const parentDef = relationship?.referenceTo ? findObject(org.schema, relationship.referenceTo) : undefined;
  if (!relationship || !parentDef) {
    throw new SoqlError(
      'INVALID_FIELD',
      `Didn't understand relationship '${relationshipName}' in field path. If you are attempting to use a custom ` +
        `relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL ` +
        `or the describe call for the appropriate names.`,
    );
  }
  return { relationship, parentDef };
}

/** The parent record a reference field points at, or undefined when blank or dangling. */
export function parentOf(org: Org, record: SObjectRecord, relationship: FieldDef): SObjectRecord | undefined {
  const id = record[relationship.name];
  return typeof id === 'string' ? org.get(id)?.record : undefined;
}

export function resolveFieldPath(org: Org, def: ObjectDef, segments: string[]): FieldPath {
  let owner = def;
  const hops: FieldDef[] = [];
  const names: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    const { relationship, parentDef } = resolveParent(org, owner, segment);
    hops.push(relationship);
    names.push(relationship.relationshipName!);
    owner = parentDef;
  }
  const last = segments[segments.length - 1];
  const field = findField(owner, last);
  if (!field) throw noSuchColumn(last, owner.name);
  names.push(field.name);
  return { name: names.join('.'), field, owner, hops, read: pathReader(org, hops, field) };
}

function pathReader(org: Org, hops: FieldDef[], field: FieldDef): RecordReader {
  if (hops.length === 0) return (record) => readField(field, record);
  return (record) => {
    let current: SObjectRecord | undefined = record;
    for (const hop of hops) {
      current = parentOf(org, current, hop);
      if (!current) return null;
    }
    return readField(field, current);
  };
}

/** anyType history values: Salesforce lets them be selected but not filtered, sorted or grouped. */
export function assertUsableIn(path: FieldPath, use: 'filtered' | 'sorted' | 'grouped'): void {
  const isHistoryValue =
    path.owner.name.endsWith('History') && (path.field.name === 'OldValue' || path.field.name === 'NewValue');
  if (isHistoryValue) {
    throw new SoqlError('INVALID_FIELD', `field '${path.field.name}' can not be ${use} in a query call`);
  }
}
