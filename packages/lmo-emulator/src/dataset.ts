/** The dataset an LMO serves: a data file (LMO_DATA, `--data`), or the demo dated from today. */
import { DEFAULT_DEMO_LICENSES, DEFAULT_DEMO_SEED, generateDemoData } from './demo-data.js';
import { loadOrgData } from './load-data.js';
import { buildSchema, type OrgData } from './schema.js';

export interface DatasetChoice {
  /** A JSON file in the documented format; without it, the demo dataset. */
  dataFile?: string;
  /** Demo size and seed (the demo's defaults when left out). */
  licenses?: number;
  seed?: number;
}

/** `today` (YYYY-MM-DD) dates the demo; `source` says in words what is served. */
export function lmoData(choice: DatasetChoice, today: string): { data: OrgData; source: string } {
  if (choice.dataFile) {
    return { data: loadOrgData(choice.dataFile, buildSchema({ lmaInstalled: true })), source: choice.dataFile };
  }
  const { licenses = DEFAULT_DEMO_LICENSES, seed = DEFAULT_DEMO_SEED } = choice;
  return { data: generateDemoData({ today, seed, licenses }), source: `demo data, ${licenses} licenses, seed ${seed}` };
}
