/**
 * `mine`: the asking Slack user → their Salesforce user, by email. An admin's LMA_USER_MAP entry wins; otherwise the
 * email Slack gives (users.info, scope users:read.email). Only an active User with exactly that email matches: never
 * a guess, and only the asker's own identity (no command takes another user).
 */
import type { webApi } from '@slack/bolt';
import type { LmoService } from '../lma/service.js';
import type { OwnerMatches, StoredOwnerMatch } from '../store/store.js';
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

/** A match is kept about a day, a miss (no email, or no user with it) an hour: long enough that repeated answers ask
 * neither Slack nor the LMO, short enough that a new Salesforce user or a changed email is found the same day. */
export const MATCH_TTL_MS = 24 * 3_600_000;
export const MISS_TTL_MS = 3_600_000;

export class SalesforceOwners {
  constructor(
    private readonly deps: {
      userMap: ReadonlyMap<string, string>;
      service: Pick<LmoService, 'activeUserByEmail'>;
      matches: OwnerMatches;
      clock: () => Date;
    },
  ) {}

  /** The kept lookup while it is fresh and used the admin's current mapping (a changed mapping looks up again). */
  async match(asker: Asker): Promise<OwnerMatch> {
    const { kept, mapped, now } = await this.kept(asker);
    return ownerMatch(
      kept ?? (await this.lookUp(asker, mapped, now, (email) => this.deps.service.activeUserByEmail(email))),
    );
  }

  /**
   * The match and a read of the matched owner's, in as few LMO calls as the match allows: with a kept match,
   * `read.byOwner`; when a look-up is due, `read.byEmail` looks the owner up and reads theirs together (one call).
   */
  async matchAndRead<T>(asker: Asker, read: OwnerRead<T>): Promise<{ match: OwnerMatch; value?: T }> {
    const { kept, mapped, now } = await this.kept(asker);
    if (kept) {
      const match = ownerMatch(kept);
      return { match, value: match.kind === 'matched' ? await read.byOwner(match.ownerId) : undefined };
    }
    let value: T | undefined;
    const found = await this.lookUp(asker, mapped, now, async (email) => {
      const answer = await read.byEmail(email);
      value = answer.value;
      return answer.owner;
    });
    return { match: ownerMatch(found), value };
  }

  private async kept(asker: Asker) {
    const mapped = this.deps.userMap.get(asker.userId) ?? null;
    const now = this.deps.clock();
    const kept = await this.deps.matches.get(asker.userId, now);
    return { kept: kept?.mapped === mapped ? kept : undefined, mapped, now };
  }

  private async lookUp(
    asker: Asker,
    mapped: string | null,
    now: Date,
    find: (email: string) => Promise<{ id: string; name: string } | undefined>,
  ): Promise<StoredOwnerMatch> {
    const email = mapped ?? (await slackEmail(asker)) ?? null;
    const owner = email === null ? null : ((await find(email)) ?? null);
    const found = { mapped, email, owner };
    await this.deps.matches.put(asker.userId, found, new Date(now.getTime() + (owner ? MATCH_TTL_MS : MISS_TTL_MS)));
    return found;
  }
}

/** A read of one owner's: by their Salesforce user Id, or by their email with the look-up of who that is. */
export interface OwnerRead<T> {
  byOwner(ownerId: string): Promise<T>;
  byEmail(email: string): Promise<{ owner: { id: string; name: string } | undefined; value?: T }>;
}

function ownerMatch({ email, owner }: StoredOwnerMatch): OwnerMatch {
  if (email === null) return { kind: 'unmatched' };
  return owner ? { kind: 'matched', ownerId: owner.id, name: owner.name, email } : { kind: 'unmatched', email };
}

async function slackEmail(asker: Asker): Promise<string | undefined> {
  const info = await asker.client.users.info({ user: asker.userId });
  return info.user?.profile?.email || undefined;
}

export type UnmatchedOwner = Extract<OwnerMatch, { kind: 'unmatched' }>;

/** Why someone matched no Salesforce user (the email tried), and how an admin maps them. */
export function unmatchedOwnerLines(match: UnmatchedOwner, userId: string): { tried: string; fix: string } {
  const tried =
    match.email === undefined
      ? 'Slack gave me no email for you, so I could not look you up in Salesforce.'
      : `No active Salesforce user has the email ${escapeText(match.email)}, so I cannot tell which customers are yours.`;
  const fix =
    `An admin can map you to your Salesforce user's email with \`LMA_USER_MAP=${userId}:someone@company.com\` ` +
    '(pairs separated by commas).';
  return { tried, fix };
}

/** What to tell someone whose `mine` matched no Salesforce user: the email tried, and how an admin maps it. */
export function unmatchedOwnerView(match: UnmatchedOwner, userId: string): SlackView {
  const { tried, fix } = unmatchedOwnerLines(match, userId);
  const meanwhile = `${fix} Meanwhile, ask without \`mine\` for everyone’s customers.`;
  return { text: `${tried} ${meanwhile}`, blocks: [section(`:bust_in_silhouette: ${tried}`), context(meanwhile)] };
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
