/**
 * The doctor's types: what a check finds, and what it is given. A leaf: the checks and their runner import it.
 */
import type { Config } from '../../config.js';
import type { LmoClient } from '../../lma/client.js';
import type { LmoService } from '../../lma/service.js';

export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  section: Section;
  check: string;
  status: Status;
  /** What was found, in a sentence. */
  found: string;
  /** For ⚠ and ✗: what to do (the Setup path, the scope to add, the command to run). */
  fix?: string;
}

export type Section = 'Configuration' | 'Slack' | 'Salesforce' | 'Store';

/** The Web API calls the Slack checks make: a WebClient fits. */
export interface SlackApi {
  apiCall(method: string, options?: Record<string, unknown>): Promise<SlackAnswer>;
}

export interface SlackAnswer {
  ok?: boolean;
  error?: string;
  response_metadata?: { scopes?: string[] };
}

/** A session on the LMO, or why there is none (in Salesforce's words). */
export type LmoSession =
  | {
      ok: true;
      client: LmoClient;
      service: LmoService;
      describe: string;
      /** The API versions the org offers (`/services/data/`), oldest first. */
      offered: string[];
    }
  | { ok: false; error: string };

export interface DoctorContext {
  /** The configuration; undefined when it does not validate (the configuration check says why). */
  config?: Config;
  /** Every configuration problem, as start-up reports them. */
  configProblems: string[];
  /** The bot token's Web API; undefined in the local sandbox (no token to check). */
  slack?: SlackApi;
  /** The app-level token's Web API, when SLACK_APP_TOKEN is set. */
  appSlack?: SlackApi;
  /** The bot scopes manifest.yml asks for. */
  manifestScopes: string[];
  /** Signs in once; every Salesforce check after the first reuses the session. */
  lmo(): Promise<LmoSession>;
  /** Which auth flow the configuration uses, in words ("refresh-token flow", "embedded demo LMO"). */
  lmoFlow: string;
}

export interface Check {
  section: Section;
  name: string;
  /** No findings: nothing to say (an app token check without SLACK_APP_TOKEN). */
  run(ctx: DoctorContext): Promise<Finding[]>;
}

export interface DoctorReport {
  ok: boolean;
  findings: Finding[];
}

/** A finding's shorthand for the checks. */
export const finding = (section: Section, check: string, status: Status, found: string, fix?: string): Finding => ({
  section,
  check,
  status,
  found,
  ...(fix ? { fix } : {}),
});
