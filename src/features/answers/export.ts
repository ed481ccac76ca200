/**
 * Export CSV: the whole list a button names (every row, not the page shown; at most EXPORT_MAX_ROWS) — trials,
 * renewals, seat health's three lists, a version's installs — uploaded as a file to the person who clicked, in their
 * DM with the bot (conversations.open, then files.uploadV2), and told beside the list where it went. `mine` is the
 * clicker's own customers. Over EXPORT_NOTICE_ROWS rows, the person hears it is coming before the rows are read.
 */
import type { ActionHandler } from '../../app/runtime.js';
import { todayIn } from '../../lma/dates.js';
import { type Block, link, notice, plural, type SlackView, section } from '../../slack/blocks.js';
import { conversationUrl, dmFailureView, dmStep, openDm } from '../../slack/dm.js';
import type { ViewContext } from '../../slack/licenses.js';
import { ACTION_EXPORT, decodeList, type ListRequest } from '../../slack/lists.js';
import { outOfDateView } from '../../slack/messages.js';
import { ownerScope } from '../../slack/owners.js';
import type { AnswererDeps } from './answerer.js';
import { licensesCsv } from './csv.js';

export const EXPORT_MAX_ROWS = 50_000;
export const EXPORT_NOTICE_ROWS = 2_000;
/**
 * 50,000 rows are 6 calls (2,000, then up to 10,000 a call), a filtered list's candidates more: far longer than one
 * answer may take.
 */
export const EXPORT_DEADLINE_MS = 120_000;

export interface ExportOptions {
  /** At risk: under this share of the seats bought (HEALTH_LOW_USE), as the answer used. */
  lowUse: number;
}

export function exportButton(
  deps: AnswererDeps,
  withinDeadline: <T>(run: () => Promise<T>) => Promise<T>,
  options: ExportOptions,
): ActionHandler {
  return {
    id: ACTION_EXPORT,
    async handle({ body, action, tell, client }) {
      const list = decodeList(action.value)?.list;
      if (!list) return tell(outOfDateView());
      const user = body.user?.id;
      if (!user) return tell(notice('warning', 'Slack did not say who clicked Export CSV: click it again.'));
      const scope = await ownerScope(list.mine, { userId: user, client }, deps.owners);
      if ('view' in scope) return tell(scope.view);
      // The DM first: when Slack will not open it, nothing is read from the LMO.
      let dm: string;
      try {
        dm = await openDm(client, user);
      } catch (error) {
        const failure = dmFailureView(error);
        if (!failure) throw error;
        return tell(failure);
      }
      const { licenses, total } = await withinDeadline(() =>
        deps.service.everyLicense({
          kind: list.kind,
          range: list.range,
          package: list.package,
          ownerId: scope.ownerId,
          versionPrefix: list.version,
          lowUse: options.lowUse,
          max: EXPORT_MAX_ROWS,
          onTotal: async (n, { exact }) => {
            if (n <= EXPORT_NOTICE_ROWS) return;
            await tell(
              notice(
                'hourglass',
                exact
                  ? `Exporting ${plural(Math.min(n, EXPORT_MAX_ROWS), 'row')} to a CSV file: this takes a moment.`
                  : `Reading ${plural(n, 'license')} for the CSV file: this takes a moment.`,
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
      const title = titleOf(list);
      try {
        await dmStep('file', () =>
          client.files.uploadV2({
            channel_id: dm,
            filename: `${list.kind}-${today}.csv`,
            title,
            content: licensesCsv(licenses, ctx, today),
            initial_comment: `${title}: ${rowsWritten(licenses.length, total)}`,
          }),
        );
      } catch (error) {
        return tell(
          dmFailureView(error) ??
            notice('warning', 'Slack did not take the CSV file (no answer): try Export CSV again in a minute.'),
        );
      }
      await tell(sentView(licenses.length, total, conversationUrl(dm, body.team?.id ?? body.user?.team_id)));
    },
  };
}

/** Beside the list: the file went to the DM (linked), how many rows, and when it was cut, why. */
function sentView(written: number, total: number, dmUrl: string): SlackView {
  const rows = plural(written, 'row');
  const cut = written < total ? ` ${rowsWritten(written, total)}` : '';
  const blocks: Block[] = [section(`:white_check_mark: I sent you the CSV (${rows}) in ${link(dmUrl, 'a DM')}.${cut}`)];
  return { text: `I sent you the CSV (${rows}) in a DM.${cut}`, blocks };
}

/** How many rows the file holds, and when the list was longer, that it was cut and how to narrow it. */
export function rowsWritten(written: number, total: number): string {
  if (written >= total) return `${plural(written, 'row')}, the whole list.`;
  return `the first ${plural(written, 'row')} of ${total.toLocaleString('en-US')} (an export writes at most ${EXPORT_MAX_ROWS.toLocaleString('en-US')}): narrow it with a package or a shorter window for the rest.`;
}

const TITLES: Record<ListRequest['kind'], string> = {
  trials: 'Trials',
  renewals: 'Renewals',
  over: 'Over their seats',
  risk: 'At risk',
  hot: 'Hot trials',
  version: 'Installs on version',
};

/** The file's title: the list as asked ("Renewals in the next 30 days (Invoicer), mine"). */
export function titleOf(list: ListRequest): string {
  const what =
    list.kind === 'version'
      ? `${TITLES.version} ${list.version ?? ''}x`
      : `${TITLES[list.kind]}${list.range ? ` ${list.range.label}` : ''}`;
  return `${what}${list.package ? ` (${list.package})` : ''}${list.mine ? ', mine' : ''}`;
}
