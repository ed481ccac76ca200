import type { StatusChangeCounts, StatusChangeDay } from '../../src/lma/status-change-days.js';

/** Finished days' status change counts kept in memory, as the store keeps them for one LMO; `days` to look at them. */
export function keptInMemory(): StatusChangeCounts & { days: Map<string, StatusChangeDay> } {
  const days = new Map<string, StatusChangeDay>();
  return {
    days,
    since: async (_timezone, from) =>
      [...days.values()].filter((d) => d.day >= from).sort((a, b) => a.day.localeCompare(b.day)),
    keep: async (_timezone, kept) => {
      for (const d of kept) days.set(d.day, d);
    },
  };
}
