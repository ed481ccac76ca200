/**
 * Slack: the bot token works (auth.test: workspace, bot user), its scopes (Slack's `x-oauth-scopes` header) cover
 * what manifest.yml asks for, the app token opens a Socket Mode connection (apps.connections.open), and the bot is a
 * member of every digest channel (conversations.info).
 */
import { type Check, type DoctorContext, finding, type SlackAnswer, type SlackApi } from './types.js';

const REINSTALL =
  'api.slack.com/apps → your app → OAuth & Permissions: copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN; ' +
  'reinstall the app if it was uninstalled or the token revoked.';

/** A Web API call; Slack's refusal (`ok: false`) is an answer here, not an exception. */
async function call(api: SlackApi, method: string, args: Record<string, unknown> = {}): Promise<SlackAnswer> {
  try {
    return await api.apiCall(method, args);
  } catch (error) {
    const data = (error as { data?: SlackAnswer }).data;
    if (data && data.ok === false) return data;
    throw new Error(
      `Slack could not be reached for ${method}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** auth.test, once per doctor run: the identity and the scopes checks read the same answer. */
const authTests = new WeakMap<DoctorContext, Promise<SlackAnswer>>();
const authTest = (ctx: DoctorContext, api: SlackApi) => {
  const asked = authTests.get(ctx) ?? call(api, 'auth.test');
  authTests.set(ctx, asked);
  return asked;
};

export const botTokenCheck: Check = {
  section: 'Slack',
  name: 'bot token',
  async run(ctx) {
    if (!ctx.slack)
      return ctx.config?.slack.mode === 'sandbox'
        ? [finding('Slack', 'bot token', 'ok', 'no workspace configured: the bot runs on the local Slack sandbox.')]
        : [];
    const answer: SlackAnswer & { team?: string; url?: string; user?: string; user_id?: string } = await authTest(
      ctx,
      ctx.slack,
    );
    if (!answer.ok)
      return [finding('Slack', 'bot token', 'fail', `auth.test refused the bot token (${answer.error}).`, REINSTALL)];
    return [
      finding(
        'Slack',
        'bot token',
        'ok',
        `works: workspace ${answer.team} (${answer.url}), bot user @${answer.user} (${answer.user_id}).`,
      ),
    ];
  },
};

export const scopesCheck: Check = {
  section: 'Slack',
  name: 'scopes',
  async run(ctx) {
    if (!ctx.slack) return [];
    const answer = await authTest(ctx, ctx.slack);
    if (!answer.ok) return [];
    const granted = answer.response_metadata?.scopes;
    if (!granted)
      return [
        finding(
          'Slack',
          'scopes',
          'warn',
          'Slack did not say which scopes the bot token holds (no x-oauth-scopes header).',
          `Check OAuth & Permissions → Bot Token Scopes against manifest.yml: ${ctx.manifestScopes.join(', ')}.`,
        ),
      ];
    const missing = ctx.manifestScopes.filter((scope) => !granted.includes(scope));
    if (missing.length > 0)
      return [
        finding(
          'Slack',
          'scopes',
          'fail',
          `the bot token lacks ${missing.join(', ')}, which manifest.yml asks for.`,
          `api.slack.com/apps → your app → OAuth & Permissions → Bot Token Scopes: add ${missing.join(', ')}, then ` +
            'reinstall the app to the workspace (Install App) and copy the new token into SLACK_BOT_TOKEN.',
        ),
      ];
    return [
      finding(
        'Slack',
        'scopes',
        'ok',
        `the bot token holds every scope manifest.yml asks for (${ctx.manifestScopes.join(', ')}).`,
      ),
    ];
  },
};

export const appTokenCheck: Check = {
  section: 'Slack',
  name: 'app token',
  async run(ctx) {
    if (!ctx.appSlack) return [];
    const answer = await call(ctx.appSlack, 'apps.connections.open');
    if (answer.ok) return [finding('Slack', 'app token', 'ok', 'SLACK_APP_TOKEN opens a Socket Mode connection.')];
    return [
      finding(
        'Slack',
        'app token',
        'fail',
        `apps.connections.open refused SLACK_APP_TOKEN (${answer.error}).`,
        'api.slack.com/apps → your app → Basic Information → App-Level Tokens: generate a token with the ' +
          'connections:write scope (xapp-…) into SLACK_APP_TOKEN, and turn Socket Mode on (Settings → Socket Mode).',
      ),
    ];
  },
};

export const channelsCheck: Check = {
  section: 'Slack',
  name: 'digest channels',
  async run(ctx) {
    const { slack, config } = ctx;
    if (!slack || !config || config.digest.channels.length === 0) return [];
    if (!(await authTest(ctx, slack)).ok) return [];
    const findings = [];
    for (const channel of config.digest.channels) {
      const answer: SlackAnswer & { channel?: { name?: string; is_member?: boolean } } = await call(
        slack,
        'conversations.info',
        { channel },
      );
      const info = answer.channel;
      if (!answer.ok || !info)
        findings.push(
          finding(
            'Slack',
            'digest channels',
            'fail',
            `digest channel ${channel}: Slack does not show it to the bot (${answer.error}).`,
            `Check DIGEST_CHANNEL (the channel id is at the foot of the channel's details); for a private channel, /invite @LMA in it first.`,
          ),
        );
      else if (!info.is_member)
        findings.push(
          finding(
            'Slack',
            'digest channels',
            'fail',
            `the bot is not a member of #${info.name} (${channel}), so the digest cannot be posted there.`,
            `In Slack, type /invite @LMA in #${info.name}.`,
          ),
        );
      else
        findings.push(finding('Slack', 'digest channels', 'ok', `the bot is a member of #${info.name} (${channel}).`));
    }
    return findings;
  },
};
