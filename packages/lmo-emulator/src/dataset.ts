/** The dataset an LMO serves: an export (LMO_DATA, `--data`: a file or a folder), or the demo dated from today. */
import { DEFAULT_DEMO_LICENSES, DEFAULT_DEMO_SEED, generateDemoData } from './demo-data.js';
import { loadLmoData } from './load-data.js';
import { buildSchema, type OrgData } from './schema.js';

export interface DatasetChoice {
  /** An export (a file or a folder, in any form the README lists); without it, the demo dataset. */
  dataFile?: string;
  /** Demo size and seed (the demo's defaults when left out). */
  licenses?: number;
  seed?: number;
}

/**
 * `today` (YYYY-MM-DD) dates the demo; `source` says in words what is served, and `summary` what an export held
 * (one line per object, the fields inferred, the lookups kept as bare Ids), for start-up to print.
 */
export function lmoData(choice: DatasetChoice, today: string): { data: OrgData; source: string; summary: string[] } {
  if (choice.dataFile) {
    const loaded = loadLmoData(choice.dataFile, buildSchema({ lmaInstalled: true }));
    return { data: loaded.data, source: choice.dataFile, summary: loaded.summary };
  }
  const { licenses = DEFAULT_DEMO_LICENSES, seed = DEFAULT_DEMO_SEED } = choice;
  const data = generateDemoData({ today, seed, licenses });
  return { data, source: `demo data, ${licenses} licenses, seed ${seed}`, summary: [] };
}
