/**
 * Salesforce: the auth flow gets a session (a refusal in Salesforce's words, plus the fix), the org offers the API
 * version, the LMA is installed and what it holds, the integration user can read every object and field the bot
 * reads, field history is tracked on Status, Seats and Expiration, the daily API limit leaves room for the bot's own
 * use, and the integration user's time zone beside LMA_TIMEZONE.
 */
import type { Config } from '../../config.js';
import { grant, HISTORY_OBJECT, LICENSE_OBJECT, READ_OBJECTS, unreadablePath } from '../../lma/fields.js';
import { type Check, type DoctorContext, finding, type LmoSession } from './types.js';

/** Salesforce's words for a refused sign-in, and what fixes each. */
const SIGN_IN_FIXES: { words: RegExp; fix: string }[] = [
  {
    words: /user hasn't approved this consumer/i,
    fix:
      'The connected app is not pre-authorized for the integration user. Setup → App Manager → your connected app → ' +
      'Manage → Edit Policies → Permitted Users: "Admin approved users are pre-authorized"; then, on the same page, ' +
      'Manage Profiles or Manage Permission Sets: add the integration user’s.',
  },
  {
    words: /audience is invalid/i,
    fix:
      'The JWT audience is the login URL: set SF_LOGIN_URL to https://login.salesforce.com for a production org or ' +
      'https://test.salesforce.com for a sandbox.',
  },
  {
    words: /expired access\/refresh token/i,
    fix:
      'SF_REFRESH_TOKEN has expired or was revoked: authorize the connected app again to get a new one, and check its ' +
      'Refresh Token Policy (Setup → App Manager → your connected app → Manage → Edit Policies).',
  },
  {
    words: /invalid_client_id|client identifier invalid/i,
    fix: 'SF_CLIENT_ID is not the Consumer Key of a connected app of this org: Setup → App Manager → your app → View.',
  },
  {
    words: /invalid client credentials|invalid_client\b/i,
    fix: 'SF_CLIENT_SECRET is not the Consumer Secret of that connected app: Setup → App Manager → your app → View.',
  },
  {
    words: /invalid assertion/i,
    fix:
      'The JWT was refused: upload the certificate of SF_PRIVATE_KEY to the connected app (Use digital signatures), ' +
      'and check SF_USERNAME.',
  },
  {
    words: /authentication failure/i,
    fix: 'Check SF_USERNAME, SF_PASSWORD and SF_SECURITY_TOKEN (reset it from the user’s settings), and SF_LOGIN_URL.',
  },
  {
    words: /SF_ACCESS_TOKEN|INVALID_SESSION_ID|session expired/i,
    fix: 'Set a new SF_ACCESS_TOKEN, or configure a flow that renews itself (JWT bearer or refresh token).',
  },
];

/** The session, or nothing when signing in failed or the API version is not offered (those checks said why). */
async function session(ctx: DoctorContext): Promise<Extract<LmoSession, { ok: true }> | undefined> {
  const lmo = await ctx.lmo();
  return lmo.ok && ctx.config && lmo.offered.includes(ctx.config.apiVersion) ? lmo : undefined;
}

/** Whether the LMA is installed, asked of the org once per doctor run however many checks need it. */
const installedInRun = new WeakMap<DoctorContext, Promise<boolean>>();
function lmaInstalled(ctx: DoctorContext, lmo: Extract<LmoSession, { ok: true }>): Promise<boolean> {
  let installed = installedInRun.get(ctx);
  if (!installed) {
    installed = lmo.service.lmaInstalled();
    installedInRun.set(ctx, installed);
  }
  return installed;
}

/** A session on an org that has the LMA; the checks of its contents have nothing to say otherwise. */
async function lmaSession(ctx: DoctorContext): Promise<Extract<LmoSession, { ok: true }> | undefined> {
  const lmo = await session(ctx);
  return lmo && (await lmaInstalled(ctx, lmo)) ? lmo : undefined;
}

export const signInCheck: Check = {
  section: 'Salesforce',
  name: 'sign-in',
  async run(ctx) {
    const lmo = await ctx.lmo();
    if (lmo.ok) return [finding('Salesforce', 'sign-in', 'ok', `signed in to ${lmo.describe}.`)];
    const fix =
      SIGN_IN_FIXES.find((known) => known.words.test(lmo.error))?.fix ??
      'Check the SF_* settings of your flow in .env (see README, "Connect your License Management Org").';
    return [finding('Salesforce', 'sign-in', 'fail', `${ctx.lmoFlow}: ${lmo.error}`, fix)];
  },
};

export const apiVersionCheck: Check = {
  section: 'Salesforce',
  name: 'API version',
  async run(ctx) {
    const lmo = await ctx.lmo();
    if (!lmo.ok || !ctx.config) return [];
    const { offered } = lmo;
    const newest = offered.at(-1) ?? '?';
    const wanted = ctx.config.apiVersion;
    if (offered.includes(wanted))
      return [finding('Salesforce', 'API version', 'ok', `the org offers API v${wanted} (newest v${newest}).`)];
    return [
      finding(
        'Salesforce',
        'API version',
        'fail',
        `the org does not offer API v${wanted} (it offers v${offered[0]} to v${newest}).`,
        `Set SF_API_VERSION=${newest}.`,
      ),
    ];
  },
};

export const lmaCheck: Check = {
  section: 'Salesforce',
  name: 'License Management App',
  async run(ctx) {
    const lmo = await session(ctx);
    if (!lmo) return [];
    if (!(await lmaInstalled(ctx, lmo)))
      return [
        finding(
          'Salesforce',
          'License Management App',
          'fail',
          `this org has no License Management App (no ${LICENSE_OBJECT}).`,
          'Point the SF_* settings at your License Management Org (usually your Partner Business Org), or install ' +
            'the LMA there: /lma install guides you.',
        ),
      ];
    const { packages, licenses } = await lmo.service.lmaCounts();
    return [
      finding('Salesforce', 'License Management App', 'ok', `installed: ${packages} packages, ${licenses} licenses.`),
    ];
  },
};

export const fieldsCheck: Check = {
  section: 'Salesforce',
  name: 'field access',
  async run(ctx) {
    const lmo = await lmaSession(ctx);
    if (!lmo) return [];
    const access = await lmo.service.checkAccess();
    const findings = [];
    const paths = (list: typeof access.missing) => list.map(unreadablePath).join(', ');
    if (access.missing.length > 0)
      findings.push(
        finding(
          'Salesforce',
          'field access',
          'fail',
          `the integration user cannot read ${paths(access.missing)}, which every answer needs.`,
          `Grant ${grant(access.missing)}.`,
        ),
      );
    if (access.omitted.length > 0)
      findings.push(
        finding(
          'Salesforce',
          'field access',
          'warn',
          `the integration user cannot read ${paths(access.omitted)}: answers do without ${[...access.omittedFacts].join(', ')}.`,
          `To show them, grant ${grant(access.omitted)}.`,
        ),
      );
    if (findings.length === 0)
      findings.push(
        finding(
          'Salesforce',
          'field access',
          'ok',
          `the integration user can read every object and field the bot reads (${Object.values(READ_OBJECTS).join(', ')}).`,
        ),
      );
    return findings;
  },
};

/** The License fields whose history conversions and the digest's changes read. */
const HISTORY_FIELDS: Record<string, string> = {
  sfLma__Status__c: 'Status',
  sfLma__Seats__c: 'Seats',
  sfLma__Expiration__c: 'Expiration',
};
const HISTORY_LOSS =
  'without it, the conversion figures (/lma conversions, the App Home) cannot find trial conversions';
const HISTORY_FIX =
  'Setup → Object Manager → License → Fields & Relationships → Set History Tracking: check Enable License History, ' +
  'then Status, Seats and Expiration, and Save.';

export const historyCheck: Check = {
  section: 'Salesforce',
  name: 'field history',
  async run(ctx) {
    const lmo = await lmaSession(ctx);
    if (!lmo) return [];
    const described = (await lmo.client.describe(HISTORY_OBJECT)) as {
      fields: { name: string; picklistValues?: { value: string }[] }[];
    } | null;
    if (!described)
      return [
        finding(
          'Salesforce',
          'field history',
          'warn',
          `license field history is not tracked (${HISTORY_LOSS}).`,
          HISTORY_FIX,
        ),
      ];
    // The history object's Field picklist lists the fields whose changes are tracked.
    const tracked = new Set(described.fields.find((f) => f.name === 'Field')?.picklistValues?.map((p) => p.value));
    const untracked = Object.keys(HISTORY_FIELDS).filter((field) => tracked.size > 0 && !tracked.has(field));
    if (untracked.length > 0)
      return [
        finding(
          'Salesforce',
          'field history',
          'warn',
          `license history does not track ${untracked.map((f) => HISTORY_FIELDS[f]).join(', ')} (${HISTORY_LOSS}).`,
          HISTORY_FIX,
        ),
      ];
    return [finding('Salesforce', 'field history', 'ok', 'license history tracks Status, Seats and Expiration.')];
  },
};

/**
 * What the bot reads by itself each day: the catalog (src/app/lmo-connection.ts, every ten minutes), the digest, and
 * the alerts' change feed, one query per ALERT_POLL_SECONDS while a channel is subscribed (more pages only for bursts).
 */
export function estimatedDailyUse(config: Pick<Config, 'digest' | 'alerts'>): {
  catalog: number;
  digest: number;
  alerts: number;
} {
  // Each catalog read: a describe per object the bot reads, the org and the package names.
  const catalog = ((24 * 60) / 10) * (Object.keys(READ_OBJECTS).length + 2);
  // One composition a day (under ten queries: renewals, trials, the change feed's read), posted to each channel.
  const digest = config.digest.channels.length > 0 ? 10 : 0;
  const alerts = Math.ceil((24 * 60 * 60) / config.alerts.pollSeconds);
  return { catalog, digest, alerts };
}

/** Per question a person asks: one to three queries. */
const CALLS_PER_QUESTION = 2;

export const apiLimitCheck: Check = {
  section: 'Salesforce',
  name: 'API limit',
  async run(ctx) {
    const lmo = await session(ctx);
    if (!lmo || !ctx.config) return [];
    let limits: { DailyApiRequests?: { Max: number; Remaining: number } };
    try {
      limits = await lmo.client.resource(`/services/data/v${ctx.config.apiVersion}/limits`);
    } catch (error) {
      return [
        finding(
          'Salesforce',
          'API limit',
          'warn',
          `could not read the org's API limits (${error instanceof Error ? error.message : String(error)}).`,
          'Give the integration user View Setup and Configuration to let the doctor read /limits.',
        ),
      ];
    }
    const daily = limits.DailyApiRequests;
    if (!daily) return [];
    const use = estimatedDailyUse(ctx.config);
    // Subscriptions set from Slack live in the store; ALERT_CHANNEL is the one the doctor can see for sure.
    const alertsCounted = ctx.config.alerts.channels.length > 0;
    const own = use.catalog + use.digest + (alertsCounted ? use.alerts : 0);
    const n = (count: number) => count.toLocaleString('en-US');
    const found =
      `${n(daily.Remaining)} of ${n(daily.Max)} daily API requests left; ` +
      `the bot uses about ${n(own)} a day by itself (catalog ${n(use.catalog)}, digest ${use.digest}` +
      (alertsCounted ? `, alerts ${n(use.alerts)}` : '') +
      `) plus about ${CALLS_PER_QUESTION} per question` +
      (alertsCounted
        ? '.'
        : `, and ${n(use.alerts)} for alerts while a channel is subscribed (one read each ${ctx.config.alerts.pollSeconds} s).`);
    const fix =
      'Other integrations share this limit: find the heavy user in Setup → System Overview (API Requests, Last 24 Hours), ' +
      'or buy more API calls; the limit is a rolling 24 hours.';
    if (daily.Remaining < own) return [finding('Salesforce', 'API limit', 'fail', `nearly spent: ${found}`, fix)];
    if (daily.Remaining < daily.Max * 0.1)
      return [finding('Salesforce', 'API limit', 'warn', `less than 10% left: ${found}`, fix)];
    return [finding('Salesforce', 'API limit', 'ok', found)];
  },
};

export const timeZoneCheck: Check = {
  section: 'Salesforce',
  name: 'time zone',
  async run(ctx) {
    const lmo = await session(ctx);
    if (!lmo || !ctx.config) return [];
    const base = await lmo.client.resource<{ identity?: string }>(`/services/data/v${ctx.config.apiVersion}/`);
    if (!base.identity) return [];
    const { timezone } = await lmo.client.resource<{ timezone?: string }>(base.identity);
    const mine = ctx.config.timezone;
    if (!timezone || timezone === mine)
      return [
        finding(
          'Salesforce',
          'time zone',
          'ok',
          `the integration user's time zone is ${timezone ?? 'not said'}, as LMA_TIMEZONE.`,
        ),
      ];
    return [
      finding(
        'Salesforce',
        'time zone',
        'ok',
        `note: the integration user's time zone is ${timezone}, LMA_TIMEZONE is ${mine}. The bot dates everything in ` +
          `${mine} (set LMA_TIMEZONE=${timezone} to date as the org's user does).`,
      ),
    ];
  },
};
