/**
 * Seat health → Block Kit: three lists, each led by its definition and count (thresholds shown, so a rep knows
 * what "at risk" means here), rows in the order that matters. Pure functions of the service's answer.
 */
import { type DateRange, formatDate } from '../../lma/dates.js';
import type { HealthListName, License } from '../../lma/model.js';
import type { HealthAnswer, HealthList, PageInfo } from '../../lma/service.js';
import { type Block, context, escapeText, header, plural, type SlackView, section } from '../../slack/blocks.js';
import {
  expirationText,
  footer,
  licenseLink,
  licensePageBlocks,
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

const OVER_DEFINITION = 'per-seat licenses (active or trial) using more seats than bought, most seats over first';
const HOT_DEFINITION = 'trials on now with seats in use, most seats used first';
const riskDefinition = (range: DateRange, lowUse: number) =>
  `paid licenses renewing ${range.label} (${formatDate(range.from)} – ${formatDate(range.to)}) ` +
  `using under ${percent(lowUse)} of their seats, soonest first.`;
const TITLES: Record<HealthListName, string> = { over: 'Over their seats', risk: 'At risk', hot: 'Hot trials' };

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
    title: TITLES.over,
    definition: OVER_DEFINITION,
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
    title: TITLES.risk,
    definition: `${riskDefinition(list.range, answer.lowUse)}${sites}`,
    lines: list.licenses.map((l) =>
      row(ctx, l, `${seatsText(l, ctx)}${usedShare(l)}`, expirationText(l, answer.today)),
    ),
    total: list.total,
    partial: list.partial,
  };
}

function hotView(list: HealthList, answer: HealthAnswer, ctx: ViewContext): ListView {
  return {
    title: TITLES.hot,
    definition: HOT_DEFINITION,
    lines: list.licenses.map((l) =>
      row(ctx, l, `${seatsText(l, ctx)}${usedShare(l)}`, expirationText(l, answer.today)),
    ),
    total: list.total,
    partial: list.partial,
  };
}

const HEALTH_ORDER: readonly HealthListName[] = ['over', 'risk', 'hot'];

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

/**
 * `controls`: each list's buttons (Export CSV), shown under its rows when it has any. Every list's rows are those its
 * file holds, so "and N more" points at the export rather than only at narrowing.
 */
export function healthView(
  answer: HealthAnswer,
  ctx: ViewContext,
  controls: Partial<Record<HealthListName, Block[]>> = {},
): SlackView {
  const lists = listsOf(answer, ctx);
  const shown = HEALTH_ORDER.flatMap((name) => (lists[name] ? [{ name, list: lists[name] }] : []));
  const blocks: Block[] = [header(shown.length === 1 ? shown[0].list.title : 'Seat health')];
  if (answer.package) blocks.push(context(`Licenses for packages matching “${escapeText(answer.package)}”.`));
  for (const { name, list } of shown) {
    blocks.push(section(`*${list.title}: ${countText(list)}*, ${escapeText(list.definition)}`));
    if (list.partial) blocks.push(context(partialNote(list.partial, answer.package)));
    if (list.total === 0) continue;
    const narrow = controls[name] ? 'Next ▶ shows them, Export CSV has every row.' : 'Narrow it with a package.';
    blocks.push(...listBlocks(ctx, list.lines, list.total, narrow), ...(controls[name] ?? []));
  }
  const thresholds = `At risk means renewing within ${answer.renewalDays} days (\`HEALTH_RENEWAL_DAYS\`) using under ${percent(answer.lowUse)} of the seats bought (\`HEALTH_LOW_USE\`).`;
  return {
    text: `${shown.map(({ list }) => `${list.title}: ${countText(list)}`).join('; ')}.`,
    blocks: [...blocks, ...footer(ctx, answer.risk ? [context(thresholds)] : [])],
  };
}

/**
 * A page of one seat-health list (Next on the list in the answer): its definition and count, the page as a table and
 * where it sits, and `controls` (its page and Export CSV buttons).
 */
export function healthPageView(
  kind: HealthListName,
  read: { today: string; licenses: License[]; total: number; page: PageInfo },
  o: { package?: string; range?: DateRange; lowUse: number },
  ctx: ViewContext,
  controls: Block[],
): SlackView {
  const definition =
    kind === 'over' ? OVER_DEFINITION : kind === 'hot' ? HOT_DEFINITION : riskDefinition(o.range!, o.lowUse);
  const blocks: Block[] = [header(TITLES[kind])];
  if (o.package) blocks.push(context(`Licenses for packages matching “${escapeText(o.package)}”.`));
  blocks.push(section(`*${TITLES[kind]}: ${read.total.toLocaleString('en-US')}*, ${escapeText(definition)}`));
  blocks.push(...licensePageBlocks(ctx, read.licenses, read));
  return {
    text: `${TITLES[kind]}: ${read.total}, page ${read.page.number}.`,
    blocks: [...blocks, ...footer(ctx, controls)],
  };
}
