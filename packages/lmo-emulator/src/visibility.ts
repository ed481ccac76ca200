/**
 * What the API user may see: an org plays an integration user whose permission sets leave out fields (field-level
 * security) or whole objects. A hidden field is missing from describe and a query naming it fails with INVALID_FIELD,
 * as Salesforce answers for a field the user cannot read; a hidden object is missing from describeGlobal, and
 * lookups to it cannot be followed.
 */
import type { Schema } from './schema.js';
import { findField, findObject, restrictChildren } from './schema.js';

export interface Visibility {
  /** `Object.Field`, or `Field` for that field on every object that has it (`OwnerId`). */
  hiddenFields?: readonly string[];
  /** Object API names. */
  hiddenObjects?: readonly string[];
}

/** A setting names a field or object the org does not have, or one that cannot be hidden. */
export class VisibilityError extends Error {
  override name = 'VisibilityError';
}

/** The schema as the API user sees it; throws VisibilityError naming what cannot be hidden. */
export function applyVisibility(schema: Schema, visibility: Visibility = {}): Schema {
  const hiddenObjects = new Set<string>();
  for (const name of visibility.hiddenObjects ?? []) {
    const def = findObject(schema, name);
    if (!def) throw new VisibilityError(`cannot hide object "${name}": the org has no such object`);
    hiddenObjects.add(def.name);
  }
  const hidden = new Map<string, Set<string>>();
  for (const spec of visibility.hiddenFields ?? []) {
    const [objectPart, fieldPart] = spec.includes('.') ? spec.split('.', 2) : [undefined, spec];
    const defs = objectPart === undefined ? Object.values(schema) : [findObject(schema, objectPart)];
    if (objectPart !== undefined && !defs[0]) {
      throw new VisibilityError(`cannot hide field "${spec}": the org has no object "${objectPart}"`);
    }
    let found = 0;
    for (const def of defs) {
      const field = def && findField(def, fieldPart);
      if (!def || !field) continue;
      if (field.type === 'id')
        throw new VisibilityError(`cannot hide field "${spec}": every user can read a record's Id`);
      hidden.set(def.name, (hidden.get(def.name) ?? new Set()).add(field.name));
      found += 1;
    }
    if (found === 0) throw new VisibilityError(`cannot hide field "${spec}": no object of the org has that field`);
  }
  if (hiddenObjects.size === 0 && hidden.size === 0) return schema;
  const visible: Schema = {};
  for (const def of Object.values(schema)) {
    if (hiddenObjects.has(def.name)) continue;
    const gone = hidden.get(def.name);
    visible[def.name] = gone ? { ...def, fields: def.fields.filter((fd) => !gone.has(fd.name)) } : def;
  }
  return restrictChildren(visible);
}

/** Splits a comma-separated setting (`--hidden-fields a,b`, LMO_HIDDEN_FIELDS) into names. */
export function nameList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
