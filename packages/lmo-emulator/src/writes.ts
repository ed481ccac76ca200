/**
 * Record writes as the REST API takes them (`POST /sobjects/<Type>`, `PATCH` and `DELETE /sobjects/<Type>/<Id>`,
 * jsforce's create/update/destroy): fields checked against the schema with Salesforce's error codes, audit fields
 * (CreatedDate, LastModifiedDate, SystemModstamp, …) set by the org, and one `sfLma__License__History` row per tracked
 * license field that changed, as field history tracking writes them. Tests and `--activity` change the LMO this way,
 * so the bot sees a change exactly as it would see one made by a person or the LMA in a real org.
 */
import { IdMint, isRecordId } from './ids.js';
import type { Org } from './org.js';
import { readField } from './org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from './schema.js';
import { findField, findObject } from './schema.js';
import { formatDateTime, normalizeDateTime } from './soql/dates.js';

/** A refused write: Salesforce's status, error code, message and the fields it names. */
export class WriteError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

const HISTORY_OBJECT = 'sfLma__License__History';
const LICENSE_OBJECT = 'sfLma__License__c';

/** The History row's DataType for a tracked field's type, as Salesforce names them. */
const HISTORY_DATA_TYPE: Partial<Record<FieldDef['type'], string>> = {
  double: 'Double',
  int: 'Double',
  currency: 'Double',
  date: 'Date',
  datetime: 'DateTime',
  boolean: 'Boolean',
  reference: 'EntityId',
  picklist: 'DynamicEnum',
};

export class RecordWriter {
  // Its own pod, so minted ids never collide with a dataset's (demo data and exports use others).
  private readonly ids = new IdMint('Wr0', 0);

  constructor(
    private readonly org: Org,
    private readonly clock: () => Date,
    private readonly userId: string,
  ) {}

  /** Creates a record; returns its Id. */
  create(objectName: string, body: unknown): string {
    const def = this.writable(objectName, 'inserted');
    const values = this.checkedValues(def, body, 'create');
    const now = formatDateTime(this.clock().getTime());
    const record: SObjectRecord = { Id: this.ids.next(def.keyPrefix) };
    for (const field of def.fields) {
      if (field.formula) continue;
      if (field.name in values) record[field.name] = values[field.name];
      else if (field.name === 'OwnerId') record.OwnerId = this.userId;
      else if (field.autoNumber) record[field.name] = this.nextAutoNumber(def, field);
      else if (field.type === 'picklist' && !field.nillable && field.picklistValues) {
        record[field.name] = field.picklistValues[0]; // the picklist's default value
      }
    }
    Object.assign(record, {
      CreatedDate: now,
      CreatedById: this.userId,
      LastModifiedDate: now,
      LastModifiedById: this.userId,
      SystemModstamp: now,
    });
    const missing = def.fields.filter(
      (fd) => !fd.nillable && !fd.system && !fd.formula && fd.type !== 'boolean' && record[fd.name] == null,
    );
    if (missing.length > 0) {
      const names = missing.map((fd) => fd.name);
      throw new WriteError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names);
    }
    this.org.insert(def.name, record);
    if (def.name === LICENSE_OBJECT) this.history(record.Id, [{ field: 'created', from: null, to: null }], now);
    return record.Id;
  }

  /** Updates the fields sent; a value equal to the stored one changes nothing but the audit fields. */
  update(objectName: string, id: string, body: unknown): void {
    const def = this.writable(objectName, 'updated');
    const record = this.existing(def, id);
    const values = this.checkedValues(def, body, 'update');
    const now = formatDateTime(this.clock().getTime());
    const tracked = this.trackedFields(def);
    const changes: { field: string; from: unknown; to: unknown; type?: FieldDef['type'] }[] = [];
    for (const [name, value] of Object.entries(values)) {
      const field = findField(def, name)!;
      const before = readField(field, record);
      if (before === value) continue;
      if (tracked.has(name)) changes.push({ field: name, from: before, to: value, type: field.type });
      record[name] = value;
    }
    Object.assign(record, { LastModifiedDate: now, LastModifiedById: this.userId, SystemModstamp: now });
    this.org.changed(def.name, record);
    if (changes.length > 0) this.history(record.Id, changes, now);
  }

  /**
   * Deletes a record and, as master-detail and history do, its cascade children: into the recycle bin, where queryAll
   * still reads them, stamped with the deletion as Salesforce stamps it.
   */
  destroy(objectName: string, id: string): void {
    const def = this.writable(objectName, 'deleted');
    const record = this.existing(def, id);
    const now = formatDateTime(this.clock().getTime());
    const drop = (rowDef: ObjectDef | undefined, row: SObjectRecord) => {
      // History rows have no modstamp to set.
      if (rowDef && findField(rowDef, 'SystemModstamp')) {
        Object.assign(row, { LastModifiedDate: now, LastModifiedById: this.userId, SystemModstamp: now });
      }
      this.org.remove(row.Id);
    };
    drop(def, record);
    for (const child of def.childRelationships.filter((c) => c.cascadeDelete)) {
      const childDef = findObject(this.org.schema, child.childSObject);
      for (const row of [...this.org.records(child.childSObject)])
        if (row[child.field] === record.Id) drop(childDef, row);
    }
  }

  private writable(objectName: string, verb: string): ObjectDef {
    const def = findObject(this.org.schema, objectName);
    if (!def) throw new WriteError(404, 'NOT_FOUND', 'The requested resource does not exist');
    // History rows and the org itself are written by Salesforce only.
    if (def.name === HISTORY_OBJECT || def.name === 'Organization') {
      throw new WriteError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${def.label}`);
    }
    return def;
  }

  private existing(def: ObjectDef, id: string): SObjectRecord {
    const found = this.org.get(id);
    if (!found || found.objectName !== def.name) {
      throw new WriteError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return found.record;
  }

  /** The body's fields, each known, writable and of the right type, normalised as the org stores them. */
  private checkedValues(def: ObjectDef, body: unknown, mode: 'create' | 'update'): Record<string, unknown> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new WriteError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
    }
    const values: Record<string, unknown> = {};
    const readOnly: string[] = [];
    for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
      if (name === 'attributes') continue;
      const field = findField(def, name);
      if (!field) {
        throw new WriteError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${def.name}`, [name]);
      }
      // OwnerId may be set; every other system field, formula and auto-number is the org's.
      if ((field.system || field.formula || field.autoNumber) && field.name !== 'OwnerId') {
        readOnly.push(field.name);
        continue;
      }
      values[field.name] = checkedValue(this.org, def, field, raw);
    }
    if (readOnly.length > 0) {
      throw new WriteError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to ${mode} fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    return values;
  }

  /** The license fields whose history is tracked: the History object's `Field` picklist, when the org has one. */
  private trackedFields(def: ObjectDef): Set<string> {
    const history = findObject(this.org.schema, HISTORY_OBJECT);
    if (def.name !== LICENSE_OBJECT || !history) return new Set();
    return new Set(findField(history, 'Field')?.picklistValues?.filter((v) => v !== 'created') ?? []);
  }

  private history(
    parentId: string,
    changes: { field: string; from: unknown; to: unknown; type?: FieldDef['type'] }[],
    now: string,
  ): void {
    const def = findObject(this.org.schema, HISTORY_OBJECT);
    if (!def) return;
    for (const change of changes) {
      this.org.insert(def.name, {
        Id: this.ids.next(def.keyPrefix),
        IsDeleted: false,
        ParentId: parentId,
        Field: change.field,
        DataType: (change.type && HISTORY_DATA_TYPE[change.type]) ?? 'Text',
        OldValue: change.from ?? null,
        NewValue: change.to ?? null,
        CreatedDate: now,
        CreatedById: this.userId,
      });
    }
  }

  /** The next number of an auto-number field, in the format of the ones stored (L-00042). */
  private nextAutoNumber(def: ObjectDef, field: FieldDef): string {
    let highest = 0;
    let prefix = 'L-';
    let width = 5;
    for (const row of this.org.records(def.name)) {
      const match = /^(.*?)(\d+)$/.exec(String(row[field.name] ?? ''));
      if (!match) continue;
      const n = Number(match[2]);
      if (n >= highest) [highest, prefix, width] = [n, match[1], match[2].length];
    }
    return `${prefix}${String(highest + 1).padStart(width, '0')}`;
  }
}

/** One value checked against its field's type; null clears a nillable field. */
function checkedValue(org: Org, def: ObjectDef, field: FieldDef, raw: unknown): unknown {
  const bad = (expected: string) =>
    new WriteError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${expected} from ${JSON.stringify(raw)} for ${def.name}.${field.name}`,
      [field.name],
    );
  if (raw === null || raw === '') {
    if (field.type === 'boolean') throw bad('boolean');
    if (!field.nillable) {
      throw new WriteError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]);
    }
    return null;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw bad('boolean');
      return raw;
    case 'int':
    case 'double':
    case 'currency': {
      const n = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad('double');
      return n;
    }
    case 'date': {
      const text = typeof raw === 'string' ? raw.slice(0, 10) : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) throw bad('date');
      return text;
    }
    case 'datetime': {
      const text = typeof raw === 'string' ? normalizeDateTime(raw) : undefined;
      if (!text) throw bad('datetime');
      return text;
    }
    case 'reference': {
      if (!isRecordId(raw)) {
        throw new WriteError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(raw)}`, [
          field.name,
        ]);
      }
      const target = org.get(raw);
      const allowed = field.polymorphicTo ?? (field.referenceTo ? [field.referenceTo] : undefined);
      if (!target || (allowed && !allowed.includes(target.objectName))) {
        throw new WriteError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${raw}`, [field.name]);
      }
      return target.record.Id;
    }
    case 'picklist':
      if (typeof raw !== 'string') throw bad('String');
      if (field.restrictedPicklist && !field.picklistValues?.includes(raw)) {
        throw new WriteError(
          400,
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${raw}`,
          [field.name],
        );
      }
      return raw;
    default:
      if (typeof raw !== 'string') throw bad('String');
      if (field.length !== undefined && raw.length > field.length) {
        throw new WriteError(
          400,
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${raw.slice(0, 40)} (max length=${field.length})`,
          [field.name],
        );
      }
      return raw;
  }
}
