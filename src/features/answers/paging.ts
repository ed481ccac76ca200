/**
 * Long lists (trials, renewals) a page at a time: the page state travels in the buttons' values (src/slack/lists.ts
 * writes and checks them), so a click needs nothing remembered (page-button.ts turns the page).
 */
import type { License } from '../../lma/model.js';
import type { ExpirationKey, PageInfo } from '../../lma/service.js';
import type { Question } from '../../parse/index.js';
import type { Block } from '../../slack/blocks.js';
import { type ListRequest, type ListTotals, listButtons } from '../../slack/lists.js';

export {
  ACTION_EXPORT,
  ACTION_PAGE,
  decodeList,
  encodeList,
  type ListRequest,
  type ListTotals,
  type PageAt,
} from '../../slack/lists.js';

type ListQuestion = Extract<Question, { kind: 'trials' | 'renewals' | 'version' }>;

/** The list a question asks for, when it is one that pages. */
export function listRequestOf(
  request: Question,
  o: { compact?: boolean; shareCommand?: string },
): ListRequest | undefined {
  if (request.kind !== 'trials' && (request.kind !== 'renewals' || request.customer)) return undefined;
  return {
    kind: request.kind,
    ...(request.range && { range: request.range }),
    ...(request.package && { package: request.package }),
    ...(request.mine && { mine: true }),
    ...(o.compact && { compact: true }),
    ...(o.shareCommand && { share: o.shareCommand }),
  };
}

/** The question a page of a list answers; undefined for a list that does not page. */
export function questionOf(list: ListRequest): ListQuestion | undefined {
  const mine = list.mine && { mine: true as const };
  if (list.kind === 'trials') return { kind: 'trials', range: list.range, package: list.package, ...mine };
  if (list.kind === 'renewals' && list.range)
    return { kind: 'renewals', range: list.range, package: list.package, ...mine };
  if (list.kind === 'version') return { kind: 'version', versionPrefix: list.version ?? '', package: list.package };
  return undefined;
}

/**
 * Previous and Next (when there is such a page) and Export CSV (when there is a row), in one row of buttons; the
 * page buttons carry the list's `totals`.
 */
export function listControls(
  list: ListRequest,
  answer: { page: PageInfo; licenses: License[]; totals: ListTotals },
): Block[] {
  const { page, licenses, totals } = answer;
  const [first, last] = [licenses[0], licenses.at(-1)];
  if (!first || !last) return [];
  return listButtons(
    list,
    {
      ...(page.hasPrevious && { previous: { number: page.number - 1, before: keyOf(first), totals } }),
      ...(page.hasNext && { next: { number: page.number + 1, after: keyOf(last), totals } }),
    },
    { blockId: 'lma_list' },
  );
}

const keyOf = (l: License): ExpirationKey => ({ expiration: l.expiration ?? '', id: l.id });
