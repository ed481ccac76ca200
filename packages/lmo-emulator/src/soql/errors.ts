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
