/**
 * Export CSV: the whole list a button names (every row, not the page shown; at most EXPORT_MAX_ROWS), uploaded as a
 * file where the list was (the channel, in its thread) with files.uploadV2. `mine` is the clicker's own customers.
 * Over EXPORT_NOTICE_ROWS rows, the person hears it is coming before the rows are read.
 */
import type { ActionHandler, WebClient } from '../../app/runtime.js';
import { todayIn } from '../../lma/dates.js';
import { notice, plural, type SlackView } from '../../slack/blocks.js';
import { userMention } from '../../slack/ids.js';
import type { ViewContext } from '../../slack/licenses.js';
import { outOfDateView } from '../../slack/messages.js';
import { ownerScope } from '../../slack/owners.js';
import type { AnswererDeps } from './answerer.js';
import { licensesCsv } from './csv.js';
import { ACTION_EXPORT, decodeList, type ListRequest } from './paging.js';

export const EXPORT_MAX_ROWS = 50_000;
export const EXPORT_NOTICE_ROWS = 2_000;
/** 25 calls of 2,000 rows at most: far longer than one answer may take. */
export const EXPORT_DEADLINE_MS = 120_000;

export function exportButton(
  deps: AnswererDeps,
  withinDeadline: <T>(run: () => Promise<T>) => Promise<T>,
): ActionHandler {
  return {
    id: ACTION_EXPORT,
    async handle({ body, action, tell, client }) {
      const list = decodeList(action.value)?.list;
      if (!list) return tell(outOfDateView());
      const channel = body.channel?.id;
      if (!channel)
        return tell(
          notice('warning', 'This list has no channel to share a file in: export it from a channel or a DM.'),
        );
      const asker = body.user?.id ? { userId: body.user.id, client } : undefined;
      const scope = await ownerScope(list.mine, asker, deps.owners);
      if ('view' in scope) return tell(scope.view);
      const { licenses, total } = await withinDeadline(() =>
        deps.service.everyLicense({
          kind: list.kind,
          range: list.range,
          package: list.package,
          ownerId: scope.ownerId,
          max: EXPORT_MAX_ROWS,
          onTotal: async (n) => {
            if (n > EXPORT_NOTICE_ROWS)
              await tell(
                notice(
                  'hourglass',
                  `Exporting ${plural(Math.min(n, EXPORT_MAX_ROWS), 'row')} to a CSV file: this takes a moment.`,
                ),
              );
          },
        }),
      );
      const today = todayIn(deps.timezone, deps.clock());
      const ctx: ViewContext = {
        instanceUrl: deps.lmo.instanceUrl(),
        lmoLabel: deps.lmo.label(),
        readAt: deps.clock(),
        timezone: deps.timezone,
        hidden: deps.service.fieldAccess().omittedFacts,
      };
      const threadTs = threadOf(body);
      const destination = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
      const upload = await uploaded(client, {
        ...destination,
        filename: `${list.kind}-${today}.csv`,
        title: titleOf(list),
        content: licensesCsv(licenses, ctx, today),
        initial_comment: `${userMention(body.user?.id) ?? 'Someone'} exported ${titleOf(list)}: ${rowsWritten(licenses.length, total)}`,
      });
      if (upload) await tell(upload);
    },
  };
}

/** How many rows the file holds, and when the list was longer, that it was cut and how to narrow it. */
export function rowsWritten(written: number, total: number): string {
  if (written >= total) return `${plural(written, 'row')}, the whole list.`;
  return `the first ${plural(written, 'row')} of ${total.toLocaleString('en-US')} (an export writes at most ${EXPORT_MAX_ROWS.toLocaleString('en-US')}): narrow it with a package or a shorter window for the rest.`;
}

const titleOf = (list: ListRequest) =>
  `${list.kind === 'trials' ? 'Trials' : 'Renewals'}${list.range ? ` ${list.range.label}` : ''}${list.package ? ` (${list.package})` : ''}${list.mine ? ', mine' : ''}`;

/** The thread the list is in: an ephemeral list's container says it; a message everyone sees carries it. */
function threadOf(body: { container?: unknown; message?: unknown }): string | undefined {
  const container = body.container as { thread_ts?: string } | undefined;
  const message = body.message as { thread_ts?: string } | undefined;
  return container?.thread_ts ?? message?.thread_ts;
}

/** Uploads the file; undefined when Slack took it, else what to tell the person (what went wrong, what to do). */
async function uploaded(
  client: WebClient,
  file: Parameters<WebClient['files']['uploadV2']>[0],
): Promise<SlackView | undefined> {
  try {
    await client.files.uploadV2(file);
    return undefined;
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'not_in_channel' || code === 'channel_not_found')
      return notice(
        'warning',
        'I cannot share a file in this channel, since I am not in it: invite me (`/invite @LMA`) or export the list from a DM with me.',
      );
    if (code === 'missing_scope')
      return notice(
        'warning',
        'The app may not upload files (its Slack scopes lack `files:write`): an admin reinstalls it from manifest.yml.',
      );
    return notice(
      'warning',
      `Slack did not take the CSV file (${code ?? 'no answer'}): try Export CSV again in a minute.`,
    );
  }
}
