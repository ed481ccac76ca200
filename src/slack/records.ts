/** What every view showing LMO records needs, and the deep link to a record. */

export interface RecordContext {
  /** The LMO's base URL, for record links. */
  instanceUrl: string;
  /** How the LMO is named in the context line ("embedded demo LMO", "Acme ISV (00D…)"). */
  lmoLabel: string;
  readAt: Date;
  timezone: string;
}

export function recordUrl(ctx: { instanceUrl: string }, objectName: string, id: string): string {
  return `${ctx.instanceUrl}/lightning/r/${objectName}/${id}/view`;
}
