/**
 * The daily digest → Block Kit. The channel message stays short (a few rows per section, "and N more" with the full
 * counts); the rows that do not fit go in a reply in the digest's thread. Pure functions of the typed content.
 */

import { formatDate, formatDateTime, relativeDays } from '../../lma/dates.js';
import { isUrgent, type License, type LicenseRef, URGENT_DAYS } from '../../lma/model.js';
import {
  type Block,
  context,
  divider,
  escapeText,
  header,
  linesInSections,
  link,
  plural,
  type SlackView,
  section,
} from '../../slack/blocks.js';
import { type RecordContext, recordUrl } from '../../slack/records.js';
import { type ChangeLists, changeCount, DIGEST_EVENT_LIMIT, type SeatChange } from './changes.js';
import { type DigestContent, daysLeft } from './compose.js';

/** Rows per section in the channel message. */
export const CHANNEL_ROWS = 5;

export interface DigestViewContext extends RecordContext {
  /** Set when the digest is posted after its slot ("09:00"): the bot was down then. */
  lateFor?: string;
  /** A line above everything (the preview's note). */
  note?: string;
}

interface Row {
  packageName: string;
  line: string;
}

interface SectionRows {
  title: string;
  rows: Row[];
  /** How many entries the section has in all (more than `rows` when the window holds more than was kept). */
  total: number;
  /** Where to see every entry when even the thread cannot hold them. */
  more: string;
}

/** The channel message. */
export function digestView(content: DigestContent, ctx: DigestViewContext): SlackView {
  const blocks: Block[] = [
    { ...header(`LMA digest · ${formatDate(content.day)}`), block_id: digestBlockId(content.day) },
  ];
  if (ctx.note) blocks.push(context(ctx.note));
  if (ctx.lateFor)
    blocks.push(
      context(
        `:alarm_clock: Posted late: this digest was due at ${escapeText(ctx.lateFor)} (${content.timezone}), while the bot was not running or could not post.`,
      ),
    );
  if (isAllClear(content)) {
    blocks.push(section(`:white_check_mark: *All clear.* ${allClearCounts(content)}`));
  } else {
    const sections = digestSections(content, ctx);
    sections.forEach((s, i) => {
      if (i > 0) blocks.push(divider());
      blocks.push(...sectionBlocks(s, s.rows.slice(0, CHANNEL_ROWS)));
      const hidden = s.total - Math.min(s.rows.length, CHANNEL_ROWS);
      if (hidden > 0)
        blocks.push(
          context(
            `…and ${hidden.toLocaleString('en-US')} more (${s.total.toLocaleString('en-US')} in all)${s.rows.length > CHANNEL_ROWS ? ': see the thread' : ''}.`,
          ),
        );
    });
    blocks.push(...changesBlocks(content, ctx));
  }
  blocks.push(
    context(
      `LMO: ${escapeText(ctx.lmoLabel)} · read ${formatDateTime(new Date(content.composedAt), content.timezone)} · reply in the thread to ask about anything here`,
    ),
  );
  return { text: fallbackText(content), blocks };
}

/** The thread reply with the rows the channel message left out, or null when everything fit. */
export function digestDetailsView(content: DigestContent, ctx: DigestViewContext): SlackView | null {
  if (isAllClear(content)) return null;
  const overflowing = digestSections(content, ctx).filter((s) => s.rows.length > CHANNEL_ROWS);
  const changeRows = changeDetailRows(content, ctx);
  if (overflowing.length === 0 && changeRows.length === 0) return null;
  const blocks: Block[] = [];
  for (const s of overflowing) {
    blocks.push(...sectionBlocks({ ...s, title: `${s.title} (continued)` }, s.rows.slice(CHANNEL_ROWS)));
    if (s.total > s.rows.length)
      blocks.push(context(`…and ${(s.total - s.rows.length).toLocaleString('en-US')} more: ${s.more} lists them all.`));
  }
  if (changeRows.length > 0) blocks.push(...linesInSections([`*Since the last digest (continued)*`, ...changeRows]));
  return { text: `More from the LMA digest of ${formatDate(content.day)}.`, blocks: blocks.slice(0, 50) };
}

export function isAllClear(content: DigestContent): boolean {
  const changes = content.changes.kind === 'changes' ? changeCount(content.changes) : 0;
  return content.renewals.total === 0 && content.trials.total === 0 && changes === 0;
}

function allClearCounts(content: DigestContent): string {
  const changes =
    content.changes.kind === 'changes'
      ? 'no changes since the last digest'
      : 'changes are reported from the next digest on';
  return `0 paid licenses up for renewal in the next ${content.renewals.days} days, 0 trials ending in the next ${content.trials.days} days, ${changes}.`;
}

function digestSections(content: DigestContent, ctx: DigestViewContext): SectionRows[] {
  const r = content.renewals;
  const seats = `${plural(r.seats, 'seat')}${r.siteLicenses > 0 ? ` + ${plural(r.siteLicenses, 'site license')}` : ''}`;
  const urgent = r.urgent > 0 ? `, *${r.urgent} urgent* (within ${URGENT_DAYS} days) :rotating_light:` : '';
  return [
    {
      title:
        r.total === 0
          ? `*Renewals* — none in the next ${r.days} days.`
          : `*Renewals in the next ${r.days} days* — ${plural(r.total, 'paid license')}, *${seats}* up for renewal${urgent}. Soonest first.`,
      rows: r.licenses.map((l) => ({ packageName: l.packageName, line: renewalLine(content, l, ctx) })),
      total: r.total,
      more: `\`/lma renewals ${r.days}\``,
    },
    {
      title:
        content.trials.total === 0
          ? `*Trials ending* — none in the next ${content.trials.days} days.`
          : `*Trials ending in the next ${content.trials.days} days* — ${plural(content.trials.total, 'trial')}.`,
      rows: content.trials.licenses.map((l) => ({ packageName: l.packageName, line: trialLine(content, l, ctx) })),
      total: content.trials.total,
      more: `\`/lma trials ${content.trials.days}\``,
    },
  ];
}

/** A section's title and rows, under per-package sub-headings when the rows span more than one package. */
function sectionBlocks(s: SectionRows, rows: Row[]): Block[] {
  const packages = [...new Set(rows.map((r) => r.packageName))];
  const lines =
    packages.length > 1
      ? packages.flatMap((p) => [`*${escapeText(p)}*`, ...rows.filter((r) => r.packageName === p).map((r) => r.line)])
      : rows.map((r) => r.line);
  return linesInSections([s.title, ...lines]);
}

const licenseLink = (ctx: RecordContext, id: string, label: string) =>
  link(recordUrl(ctx, 'sfLma__License__c', id), label);

function dueText(content: DigestContent, license: License): string {
  const days = daysLeft(content, license);
  return license.expiration === null || days === null
    ? 'does not expire'
    : `${formatDate(license.expiration)} (${relativeDays(days)})`;
}

function renewalLine(content: DigestContent, l: License, ctx: RecordContext): string {
  const mark = isUrgent(l, content.day) ? ':rotating_light: ' : '';
  const seats = l.siteLicense ? 'site license' : plural(l.seats ?? 0, 'seat');
  const owner = l.customer.owner ? ` · owner ${escapeText(l.customer.owner)}` : '';
  return `${mark}*${licenseLink(ctx, l.id, l.customer.name)}* · ${escapeText(l.packageName)} · ${seats}${owner} · expires ${dueText(content, l)}`;
}

function trialLine(content: DigestContent, l: License, ctx: RecordContext): string {
  const owner = l.customer.owner ? ` · owner ${escapeText(l.customer.owner)}` : '';
  return `*${licenseLink(ctx, l.id, l.customer.name)}* · ${escapeText(l.packageName)} · trial ends ${dueText(content, l)}${owner}`;
}

const CHANGE_KINDS: { key: keyof ChangeLists; one: string; many: string }[] = [
  { key: 'installs', one: 'new trial install', many: 'new trial installs' },
  { key: 'conversions', one: 'conversion to paid', many: 'conversions to paid' },
  { key: 'uninstalls', one: 'uninstall', many: 'uninstalls' },
  { key: 'suspensions', one: 'suspension', many: 'suspensions' },
  { key: 'seatChanges', one: 'seat change', many: 'seat changes' },
];

function changeLine(ctx: RecordContext, ref: LicenseRef | SeatChange): string {
  const seats = 'to' in ref ? `: ${seatText(ref.from)} → ${seatText(ref.to)}` : '';
  return `${licenseLink(ctx, ref.id, ref.customer)} (${escapeText(ref.packageName)})${seats}`;
}

const seatText = (seats: number | null) =>
  seats === null ? '?' : seats === -1 ? 'site license' : plural(seats, 'seat');

function changesBlocks(content: DigestContent, ctx: RecordContext): Block[] {
  const changes = content.changes;
  if (changes.kind === 'first_run') {
    return [
      divider(),
      section(
        '*Since the last digest* — this is the first digest: changes (installs, conversions, uninstalls, suspensions, seats) are reported from the next day on.',
      ),
    ];
  }
  const since = formatDateTime(new Date(changes.since), content.timezone);
  const total = changeCount(changes);
  if (total === 0)
    return [
      divider(),
      section(
        `*Since the last digest* (${since}) — no installs, conversions, uninstalls, suspensions or seat changes.`,
      ),
    ];
  const counts = CHANGE_KINDS.map(
    (k) => `${changes[k.key].length} ${changes[k.key].length === 1 ? k.one : k.many}`,
  ).join(' · ');
  const lines = CHANGE_KINDS.filter((k) => changes[k.key].length > 0).map((k) => {
    const list: (LicenseRef | SeatChange)[] = changes[k.key];
    const shown = list.slice(0, CHANNEL_ROWS).map((r) => changeLine(ctx, r));
    const more = list.length > CHANNEL_ROWS ? ` and ${list.length - CHANNEL_ROWS} more (see the thread)` : '';
    return `• *${capitalise(list.length === 1 ? k.one : k.many)}*: ${shown.join(', ')}${more}`;
  });
  const truncated = changes.truncated
    ? [
        `_More changes than a digest lists (${DIGEST_EVENT_LIMIT.toLocaleString('en-US')}): the counts above are of the first ones._`,
      ]
    : [];
  return [divider(), ...linesInSections([`*Since the last digest* (${since}) — ${counts}`, ...lines, ...truncated])];
}

/** The changes the channel message cut short, in full. */
function changeDetailRows(content: DigestContent, ctx: RecordContext): string[] {
  const changes = content.changes;
  if (changes.kind !== 'changes') return [];
  return CHANGE_KINDS.filter((k) => changes[k.key].length > CHANNEL_ROWS).map((k) => {
    const list: (LicenseRef | SeatChange)[] = changes[k.key];
    return `• *${capitalise(k.many)}*: ${list
      .slice(CHANNEL_ROWS)
      .map((r) => changeLine(ctx, r))
      .join(', ')}`;
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The notification and screen-reader text: the counts, and the first names. */
function fallbackText(content: DigestContent): string {
  const day = formatDate(content.day);
  if (isAllClear(content)) return `LMA digest for ${day}: all clear. ${allClearCounts(content)}`;
  const r = content.renewals;
  const changes =
    content.changes.kind === 'changes'
      ? `${plural(changeCount(content.changes), 'change')} since the last digest`
      : 'changes reported from the next digest on';
  const soonest = r.licenses.slice(0, 3).map((l) => `${l.customer.name} (${l.expiration})`);
  return escapeText(
    `LMA digest for ${day}: ${plural(r.total, 'renewal')} in the next ${r.days} days (${plural(r.seats, 'seat')}, ${r.urgent} urgent)` +
      `${soonest.length > 0 ? `, soonest ${soonest.join(', ')}` : ''}; ${plural(content.trials.total, 'trial')} ending in the next ${content.trials.days} days; ${changes}.`,
  );
}

/** Marks the day's digest message, so a run interrupted mid-post finds it in the channel instead of posting twice. */
export function digestBlockId(day: string): string {
  return `lma_digest_${day}`;
}
