/** What every part of one query's evaluation needs: the data, "today", the URL prefix of records, the indexes. */
import type { Org } from '../org.js';
import type { DateContext } from './conditions.js';
import type { RecordIndexes } from './indexes.js';

export interface QueryContext {
  org: Org;
  dates: DateContext;
  /** `/services/data/v62.0/sobjects/`, to which `<Type>/<Id>` is appended. */
  sobjectsUrl: string;
  /** The query's text, for errors that point at a column. */
  soql: string;
  /** queryAll: the recycle bin's records too. */
  includeDeleted: boolean;
  /** Field indexes to narrow WHERE with (plan.ts); undefined: every query reads every record of its object. */
  indexes?: RecordIndexes;
  /** Records this query has read so far (its WHERE tested them), for the request log. */
  examined: { rows: number };
}
