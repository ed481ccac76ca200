/**
 * Seat health → Block Kit: three lists, each led by its definition and count (thresholds shown, so a rep knows
 * what "at risk" means here), rows in the order that matters. Pure functions of the service's answer.
 */
import { formatDate } from '../../lma/dates.js';
import type { HealthListName, License } from '../../lma/model.js';
import type { HealthAnswer, HealthList } from '../../lma/service.js';
import { type Block, context, escapeText, header, plural, type SlackView, section } from '../../slack/blocks.js';
import {
  expirationText,
  footer,
  licenseLink,
  listBlocks,
  seatsText,
  type ViewContext,
  versionText,
} from '../../slack/licenses.js';

const percent = (share: number) => `${Math.round(share * 100)}%`;

const ownerText = (l: License) => (l.customer.owner ? `owner ${escapeText(l.customer.owner)}` : '');

const row = (ctx: ViewContext, l: License, ...facts: string[]) =>
  `*${licenseLink(ctx, l)}* · ${[versionText(l), ...facts, ownerText(l)].filter(Boolean).join(' · ')}`;

const usedShare = (l: License) => (l.seats && l.seats > 0 ? ` (${percent((l.usedSeats ?? 0) / l.seats)})` : '');

interface ListView {
  title: string;
  /** One line: what the list holds and how it is sorted. */
  definition: string;
  lines: string[];
  total: number;
  partial?: HealthList['partial'];
}

function overView(list: HealthList, ctx: ViewContext): ListView {
  return {
    title: 'Over their seats',
    definition: 'per-seat licenses (active or trial) using more seats than bought, most seats over first',
    lines: list.licenses.map((l) =>
      row(ctx, l, `*${l.usedSeats} used of ${l.seats}* (${(l.usedSeats ?? 0) - (l.seats ?? 0)} over)`),
    ),
    total: list.total,
    partial: list.partial,
  };
}

function riskView(list: NonNullable<HealthAnswer['risk']>, answer: HealthAnswer, ctx: ViewContext): ListView {
  const sites =
    list.siteLicensesExcluded > 0
      ? ` Site licenses are excluded (${list.partial?.atLeast ? 'at least ' : ''}${plural(list.siteLicensesExcluded, 'site license')} renewing in the window).`
      : ' Site licenses are excluded.';
  return {
    title: 'At risk',
    definition:
      `paid licenses renewing ${list.range.label} (${formatDate(list.range.from)} – ${formatDate(list.range.to)}) ` +
      `using under ${percent(answer.lowUse)} of their seats, soonest first.${sites}`,
    lines: list.licenses.map((l) =>
      row(ctx, l, `${seatsText(l, ctx)}${usedShare(l)}`, expirationText(l, answer.today)),
    ),
    total: list.total,
    partial: list.partial,
  };
}

function hotView(list: HealthList, answer: HealthAnswer, ctx: ViewContext): ListView {
  return {
    title: 'Hot trials',
    definition: 'trials on now with seats in use, most seats used first',
    lines: list.licenses.map((l) =>
      row(ctx, l, `${seatsText(l, ctx)}${usedShare(l)}`, expirationText(l, answer.today)),
    ),
    total: list.total,
    partial: list.partial,
  };
}

/** A list's count; "at least" when it counts only the licenses its calls could read. */
const countText = (list: ListView) =>
  `${list.partial?.atLeast ? 'at least ' : ''}${list.total.toLocaleString('en-US')}`;

/** One line: the list is partial, why, and what to do. */
const partialNote = (partial: NonNullable<HealthList['partial']>, pkg: string | undefined) =>
  `:warning: Partial list: ${escapeText(partial.why)}. Name ${pkg ? 'a narrower' : 'a'} package to see it whole.`;

function listsOf(answer: HealthAnswer, ctx: ViewContext): Record<HealthListName, ListView | undefined> {
  return {
    over: answer.over && overView(answer.over, ctx),
    risk: answer.risk && riskView(answer.risk, answer, ctx),
    hot: answer.hot && hotView(answer.hot, answer, ctx),
  };
}

export function healthView(answer: HealthAnswer, ctx: ViewContext): SlackView {
  const shown = Object.values(listsOf(answer, ctx)).filter((list): list is ListView => list !== undefined);
  const blocks: Block[] = [header(shown.length === 1 ? shown[0].title : 'Seat health')];
  if (answer.package) blocks.push(context(`Licenses for packages matching “${escapeText(answer.package)}”.`));
  for (const list of shown) {
    blocks.push(section(`*${list.title}: ${countText(list)}*, ${escapeText(list.definition)}`));
    if (list.partial) blocks.push(context(partialNote(list.partial, answer.package)));
    if (list.total > 0) blocks.push(...listBlocks(ctx, list.lines, list.total, 'Narrow it with a package.'));
  }
  const thresholds = `At risk means renewing within ${answer.renewalDays} days (\`HEALTH_RENEWAL_DAYS\`) using under ${percent(answer.lowUse)} of the seats bought (\`HEALTH_LOW_USE\`).`;
  return {
    text: `${shown.map((list) => `${list.title}: ${countText(list)}`).join('; ')}.`,
    blocks: [...blocks, ...footer(ctx, answer.risk ? [context(thresholds)] : [])],
  };
}
