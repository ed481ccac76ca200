/** What every part of one query's evaluation needs: the data, "today" and the URL prefix of records. */
import type { Org } from '../org.js';
import type { DateContext } from './conditions.js';

export interface QueryContext {
  org: Org;
  dates: DateContext;
  /** `/services/data/v62.0/sobjects/`, to which `<Type>/<Id>` is appended. */
  sobjectsUrl: string;
  /** The query's text, for errors that point at a column. */
  soql: string;
  /** queryAll: the recycle bin's records too. */
  includeDeleted: boolean;
}
