/**
 * `mine`: the asking Slack user → their Salesforce user, by email. An admin's LMA_USER_MAP entry wins; otherwise the
 * email Slack gives (users.info, scope users:read.email). Only an active User with exactly that email matches: never
 * a guess, and only the asker's own identity (no command takes another user).
 */
import type { webApi } from '@slack/bolt';
import type { LmoService } from '../lma/service.js';
import { context, escapeText, type SlackView, section } from './blocks.js';

export type OwnerMatch =
  | { kind: 'matched'; ownerId: string; name: string; email: string }
  /** `email` undefined: Slack gave none (no users:read.email scope, or a profile without one). */
  | { kind: 'unmatched'; email?: string };

/** Who asked, and the Slack client to look them up with. */
export interface Asker {
  userId: string;
  client: webApi.WebClient;
}

export class SalesforceOwners {
  constructor(
    private readonly deps: { userMap: ReadonlyMap<string, string>; service: Pick<LmoService, 'activeUserByEmail'> },
  ) {}

  async match(asker: Asker): Promise<OwnerMatch> {
    const email = this.deps.userMap.get(asker.userId) ?? (await slackEmail(asker));
    if (email === undefined) return { kind: 'unmatched' };
    const user = await this.deps.service.activeUserByEmail(email);
    return user ? { kind: 'matched', ownerId: user.id, name: user.name, email } : { kind: 'unmatched', email };
  }
}

async function slackEmail(asker: Asker): Promise<string | undefined> {
  const info = await asker.client.users.info({ user: asker.userId });
  return info.user?.profile?.email || undefined;
}

/** What to tell someone whose `mine` matched no Salesforce user: the email tried, and how an admin maps it. */
export function unmatchedOwnerView(match: Extract<OwnerMatch, { kind: 'unmatched' }>, userId: string): SlackView {
  const tried =
    match.email === undefined
      ? 'Slack gave me no email for you, so I could not look you up in Salesforce.'
      : `No active Salesforce user has the email ${escapeText(match.email)}, so I cannot tell which customers are yours.`;
  const fix =
    `An admin can map you to your Salesforce user's email with \`LMA_USER_MAP=${userId}:someone@company.com\` ` +
    '(pairs separated by commas). Meanwhile, ask without `mine` for everyone’s customers.';
  return { text: `${tried} ${fix}`, blocks: [section(`:bust_in_silhouette: ${tried}`), context(fix)] };
}

/** A list's owner filter: none without `mine`, the asker's Salesforce user with it, or the view saying who was tried. */
export async function ownerScope(
  mine: boolean | undefined,
  asker: Asker | undefined,
  owners: SalesforceOwners,
): Promise<{ ownerId?: string; ownerName?: string } | { view: SlackView }> {
  if (!mine) return {};
  if (asker === undefined) throw new Error('`mine` needs the asking user');
  const match = await owners.match(asker);
  if (match.kind === 'unmatched') return { view: unmatchedOwnerView(match, asker.userId) };
  return { ownerId: match.ownerId, ownerName: match.name };
}
