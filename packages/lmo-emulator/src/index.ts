/**
 * @lma-bot/lmo-emulator: a local stand-in for a Salesforce License Management Org — the REST API's wire format,
 * OAuth flows, SOQL evaluated in memory, demo data dated from today, injectable faults.
 */
export { type DatasetChoice, lmoData } from './dataset.js';
export {
  DEFAULT_DEMO_LICENSES,
  DEFAULT_DEMO_SEED,
  DEMO_REP_EMAIL,
  type DemoDataOptions,
  generateDemoData,
  mulberry32,
} from './demo-data.js';
export { DataFileError, type LoadedData, loadLmoData, loadOrgData } from './load-data.js';
export { buildSchema, LICENSE_STATUSES, type OrgData, type SObjectRecord } from './schema.js';
export {
  type EmulatorCredentials,
  type EmulatorHandle,
  type EmulatorOptions,
  type FaultOptions,
  loggedQueries,
  type RequestLogEntry,
  startEmulator,
} from './server.js';
export { nameList, type Visibility, VisibilityError } from './visibility.js';
