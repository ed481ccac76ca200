/**
 * The errors a SOQL query can end in, with Salesforce's error codes so the REST layer can pass
 * them through unchanged. EMULATOR_UNSUPPORTED marks constructs the emulator refuses rather
 * than answer wrongly.
 */
export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  /** A filter value of the wrong type for its field, or an operator the field does not allow. */
  | 'INVALID_QUERY_FILTER_OPERATOR'
  /** OFFSET over 2,000. */
  | 'NUMBER_OUTSIDE_VALID_RANGE'
  /** An aggregate query with more rows than one batch: Salesforce will not page it. */
  | 'EXCEEDED_ID_LIMIT'
  | 'EMULATOR_UNSUPPORTED';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

export const unsupported = (construct: string): SoqlError =>
  new SoqlError('EMULATOR_UNSUPPORTED', `The embedded LMO does not support ${construct} in SOQL.`);

export const malformed = (message: string): SoqlError => new SoqlError('MALFORMED_QUERY', message);

export const noSuchColumn = (field: string, entity: string): SoqlError =>
  new SoqlError(
    'INVALID_FIELD',
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to ` +
      `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
      `appropriate names.`,
  );

/**
 * A refusal in Salesforce's parse-error shape: the query, a caret under the offending token, then
 * `ERROR at Row:1:Column:N` and the reason. `token` is looked up case-insensitively (its last
 * occurrence, where clauses such as LIMIT and OFFSET sit); the caret falls on column 1 without it.
 */
export function atToken(errorCode: SoqlErrorCode, soql: string, token: string, reason: string): SoqlError {
  const line = soql.replace(/\s+/g, ' ');
  const index = Math.max(0, line.toLowerCase().lastIndexOf(token.toLowerCase()));
  return new SoqlError(errorCode, `\n${line}\n${' '.repeat(index)}^\nERROR at Row:1:Column:${index + 1}\n${reason}`);
}
