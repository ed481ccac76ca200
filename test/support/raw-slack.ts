/**
 * Slack requests built by hand, for tests that need what the driver does not offer: a response_url of their
 * choosing, forged or tampered signatures, malformed bodies.
 */
import type { FakeSlack } from '@lma-bot/slack-sandbox';
import { signSlackRequest } from '@lma-bot/slack-sandbox';

/** A slash command's form body, as Slack sends it. */
export function commandBody(
  slack: FakeSlack,
  o: { text: string; user: string; channel: string; responseUrl: string },
): string {
  return new URLSearchParams({
    team_id: slack.identity.teamId,
    channel_id: o.channel,
    user_id: o.user,
    command: '/lma',
    text: o.text,
    api_app_id: slack.identity.appId,
    response_url: o.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** POSTs a body to the app; signs it with `signingSecret` unless `headers` are given. Status 0: connection dropped. */
export async function postToApp(
  appUrl: string,
  body: string,
  o: { contentType: string; signingSecret?: string; headers?: Record<string, string> },
): Promise<number> {
  const headers = o.headers ?? (o.signingSecret ? signSlackRequest(o.signingSecret, body) : {});
  try {
    const res = await fetch(appUrl, { method: 'POST', headers: { 'Content-Type': o.contentType, ...headers }, body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
