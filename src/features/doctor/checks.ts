/**
 * The doctor: every check of what the bot needs, in order, each giving one line or more — ✓, ⚠ or ✗, what was found,
 * and for every ⚠/✗ the exact fix. `npm run doctor` (src/doctor.ts) and `/lma doctor` run the same list; to add a
 * check, write one `Check` and put it in DOCTOR_CHECKS where it belongs.
 */
import { configCheck } from './config-check.js';
import {
  apiLimitCheck,
  apiVersionCheck,
  fieldsCheck,
  historyCheck,
  lmaCheck,
  signInCheck,
  timeZoneCheck,
} from './lmo-checks.js';
import { appTokenCheck, botTokenCheck, channelsCheck, scopesCheck } from './slack-checks.js';
import { storeCheck } from './store-check.js';
import type { Check, DoctorContext, DoctorReport, Finding } from './types.js';

export type { Check, DoctorContext, DoctorReport, Finding, LmoSession, SlackApi, Status } from './types.js';

/** In order: each section's first check tells why the others of it cannot run. */
export const DOCTOR_CHECKS: readonly Check[] = [
  configCheck,
  botTokenCheck,
  scopesCheck,
  appTokenCheck,
  channelsCheck,
  signInCheck,
  apiVersionCheck,
  lmaCheck,
  fieldsCheck,
  historyCheck,
  apiLimitCheck,
  timeZoneCheck,
  storeCheck,
];

/** Runs every check in order; a check that throws is a ✗ of its own, and the others still run. */
export async function runDoctor(ctx: DoctorContext, checks: readonly Check[] = DOCTOR_CHECKS): Promise<DoctorReport> {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      findings.push(...(await check.run(ctx)));
    } catch (error) {
      findings.push({
        section: check.section,
        check: check.name,
        status: 'fail',
        found: `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'Run `npm run doctor` again; if it persists, run the bot with LOG_LEVEL=debug and read its log.',
      });
    }
  }
  return { ok: findings.every((f) => f.status !== 'fail'), findings };
}
