/**
 * Answers → Block Kit. Pure functions of the typed answers; the same views serve slash commands (full) and
 * threads (compact: fewer rows).
 */
import { daysBetween, formatDate, relativeDays } from '../../lma/dates.js';
import { type License, URGENT_DAYS } from '../../lma/model.js';
import type {
  ConversionsAnswer,
  CustomerFocus,
  CustomerLookup,
  PageInfo,
  RenewalsAnswer,
  TrialsAnswer,
} from '../../lma/service.js';
import {
  actions,
  type Block,
  button,
  context,
  escapeText,
  fields,
  header,
  link,
  plural,
  type SlackView,
  section,
} from '../../slack/blocks.js';
import {
  expirationText,
  footer,
  licenseLink,
  licensePageBlocks,
  listBlocks,
  seatsText,
  shows,
  type ViewContext,
  versionText,
} from '../../slack/licenses.js';
import { recordUrl } from '../../slack/records.js';

export const ACTION_PICK_CUSTOMER = 'lma_pick_customer';

const packageSuffix = (pkg?: string) => (pkg ? ` for packages matching “${escapeText(pkg)}”` : '');

/** `controls`: the list's buttons (pages, export), shown above the footer. */
export function renewalsView(answer: RenewalsAnswer, ctx: ViewContext, controls: Block[] = []): SlackView {
  const title = `Renewals ${answer.range.label}`;
  const seats = `${plural(answer.seats, 'seat')}${answer.siteLicenses > 0 ? ` + ${plural(answer.siteLicenses, 'site license')}` : ''}`;
  const summary =
    answer.total === 0
      ? `No paid licenses expire ${escapeText(answer.range.label)}${packageSuffix(answer.package)} (${formatDate(answer.range.from)} – ${formatDate(answer.range.to)}). Sandboxes and licenses that do not expire are not counted.`
      : `*${plural(answer.total, 'paid license')}* up for renewal${packageSuffix(answer.package)}, ${formatDate(answer.range.from)} – ${formatDate(answer.range.to)}: *${seats}*. Soonest first; :warning: = within ${URGENT_DAYS} days.`;
  return pagedLicensesView(
    { title, summary, figures: `${plural(answer.total, 'license')}, ${seats}`, tag: (l) => l.expiration ?? '' },
    answer,
    ctx,
    controls,
  );
}

export function trialsView(answer: TrialsAnswer, ctx: ViewContext, controls: Block[] = []): SlackView {
  const window = answer.range ? ` ${answer.range.label}` : '';
  const title = `Trials${window}`;
  const expired =
    answer.expiredUnconverted === undefined
      ? ''
      : `${plural(answer.expiredUnconverted, 'trial')} expired without converting in the last 30 days.`;
  const summary =
    answer.total === 0
      ? `No trials are running${escapeText(window)}${packageSuffix(answer.package)}. ${expired}`
      : `*${plural(answer.total, 'trial')}* running${escapeText(window)}${packageSuffix(answer.package)}, soonest to expire first; :warning: = within ${URGENT_DAYS} days. ${expired}`;
  return {
    text: `${title}: ${plural(answer.total, 'trial')} running; ${expired}`,
    blocks: [
      header(title),
      section(summary),
      ...licensePageBlocks(ctx, answer.trials, answer),
      ...footer(ctx, controls),
    ],
  };
}

export function conversionsView(answer: ConversionsAnswer, ctx: ViewContext): SlackView {
  const title = `Conversions ${answer.range.label}`;
  if (!answer.historyTracked) {
    const text =
      `This LMO does not track field history on licenses, so the bot cannot tell when trials became paid.\n` +
      `*To enable it:* Setup → Object Manager → License → Fields & Relationships → *Set History Tracking* → tick *Status* (and Seats, Expiration) → Save. Conversions are reported from then on.\n` +
      `What the bot can still tell: *${plural(answer.expiredUnconverted, 'trial')}* expired without converting ${escapeText(answer.range.label)}${packageSuffix(answer.package)}; \`/lma trials\` lists the trials running now.`;
    return {
      text: `${title}: license history tracking is off in this LMO; ${answer.expiredUnconverted} trials expired unconverted.`,
      blocks: [header(title), section(text), ...footer(ctx)],
    };
  }
  const rate =
    answer.rate === null ? 'no trial ended in this window' : `conversion rate *${Math.round(answer.rate * 100)}%*`;
  const summary = `*${plural(answer.converted, 'trial')}* converted to paid${packageSuffix(answer.package)} (${formatDate(answer.range.from)} – ${formatDate(answer.range.to)}); ${plural(answer.expiredUnconverted, 'trial')} ended unconverted; ${rate} of trials that ended.`;
  const lines = answer.conversions.map(
    (c) =>
      `*${link(recordUrl(ctx, 'sfLma__License__c', c.license.id), c.license.customer)}* · ${escapeText(c.license.packageName)} · converted ${formatDate(c.at.slice(0, 10))}`,
  );
  const rateText = answer.rate === null ? 'n/a' : `${Math.round(answer.rate * 100)}%`;
  return {
    text: `${title}: ${answer.converted} converted, ${answer.expiredUnconverted} expired unconverted, rate ${rateText}.`,
    blocks: [header(title), section(summary), ...listBlocks(ctx, lines, answer.converted), ...footer(ctx)],
  };
}

/** A version's installs, a page at a time as a table; `controls`: its page and Export CSV buttons, above the footer. */
export function licenseListView(
  answer: {
    versionPrefix: string;
    package?: string;
    today: string;
    licenses: License[];
    total: number;
    page: PageInfo;
  },
  ctx: ViewContext,
  controls: Block[] = [],
): SlackView {
  const title = `Installs on version ${answer.versionPrefix}x`;
  const summary = `*${plural(answer.total, 'active or trial license')}*${packageSuffix(answer.package)} run a version starting with ${escapeText(answer.versionPrefix)}, by version.`;
  return pagedLicensesView(
    { title, summary, figures: plural(answer.total, 'license'), tag: (l) => l.version ?? '?' },
    answer,
    ctx,
    controls,
  );
}

/**
 * A list answer a page at a time: its title and summary, the page's rows, its buttons; the plain-text fallback is the
 * title, the figures and the first three customers, each with its `tag`.
 */
function pagedLicensesView(
  view: { title: string; summary: string; figures: string; tag: (l: License) => string },
  answer: { today: string; licenses: License[]; total: number; page: PageInfo },
  ctx: ViewContext,
  controls: Block[],
): SlackView {
  const first = answer.licenses.slice(0, 3).map((l) => ` ${l.customer.name} (${view.tag(l)}).`);
  return {
    text: escapeText(`${view.title}: ${view.figures}.${first.join('')}`),
    blocks: [
      header(view.title),
      section(view.summary),
      ...licensePageBlocks(ctx, answer.licenses, answer),
      ...footer(ctx, controls),
    ],
  };
}

/** A customer's licenses, leading with what was asked (status, seats, version, renewal or conversion). */
export function customerView(lookup: CustomerLookup, focus: CustomerFocus, ctx: ViewContext, today: string): SlackView {
  if (lookup.kind === 'none') return noCustomerView(lookup);
  if (lookup.kind === 'ambiguous') return ambiguousView(lookup, focus);
  const { customer, licenses } = lookup;
  const owner = customer.owner
    ? `${customer.kind === 'lead' ? 'Lead' : 'Account'} owner: ${escapeText(customer.owner)}`
    : `${customer.kind === 'lead' ? 'Lead (not converted)' : 'Account'}`;
  const headline = focusHeadline(focus, customer.name, licenses, today, ctx);
  const shown = licenses.slice(0, ctx.compact ? 3 : 10);
  // The header is plain_text, which Slack never formats; mrkdwn parts are escaped.
  const blocks: Block[] = [header(customer.name), section(`${escapeText(headline)}\n${owner}`)];
  for (const l of shown) {
    blocks.push(
      fields(
        [
          `*Package*\n${versionText(l)}`,
          `*Status*\n${l.status}`,
          ...(shows(ctx, 'seats') ? [`*Seats*\n${seatsText(l, ctx)}`] : []),
          `*Expiration*\n${expirationText(l, today)}`,
          ...(ctx.compact
            ? []
            : [
                ...(shows(ctx, 'install date')
                  ? [`*Installed*\n${l.installDate ? formatDate(l.installDate) : 'unknown'}`]
                  : []),
                `*Org*\n${orgText(ctx, l)}`,
              ]),
        ],
        `*${licenseLink(ctx, l, l.name)}*${l.orgId ? ` · org \`${escapeText(l.orgId)}\`` : ''}`,
      ),
    );
  }
  if (licenses.length > shown.length)
    blocks.push(context(`…and ${plural(licenses.length - shown.length, 'more license')} (${licenses.length} in all).`));
  return { text: escapeText(`${customer.name}: ${headline}`), blocks: [...blocks, ...footer(ctx)] };
}

/** Sandbox or production, edition and instance, as far as they can be read. */
function orgText(ctx: ViewContext, l: License): string {
  return [
    shows(ctx, 'sandbox') ? (l.isSandbox ? 'Sandbox' : 'Production') : '',
    shows(ctx, 'edition') ? escapeText(l.edition ?? 'edition unknown') : '',
    shows(ctx, 'instance') ? escapeText(l.instance ?? '?') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function focusHeadline(
  focus: CustomerFocus,
  name: string,
  licenses: License[],
  today: string,
  ctx: ViewContext,
): string {
  const paid = licenses.filter((l) => l.status === 'Active');
  switch (focus) {
    case 'renewal': {
      const next = paid
        .filter((l) => l.expiration !== null && l.expiration >= today)
        .sort((a, b) => (a.expiration! < b.expiration! ? -1 : 1))[0];
      if (next)
        return `${name} renews ${next.packageName} on ${formatDate(next.expiration!)} (${relativeDays(daysBetween(today, next.expiration!))}).`;
      if (paid.length > 0) return `${name}'s paid licenses do not expire (or have already expired): nothing to renew.`;
      return `${name} has no paid license, so nothing renews.`;
    }
    case 'conversion': {
      if (paid.length > 0) return `Yes: ${name} is paying for ${paid.map((l) => l.packageName).join(', ')}.`;
      const trial = licenses.find((l) => l.status === 'Trial');
      return trial ? `Not yet: ${name} is still on trial (${trial.packageName}).` : `No: ${name} has no paid license.`;
    }
    case 'seats': {
      const seatsLine = licenses
        .filter((l) => l.status === 'Active' || l.status === 'Trial')
        .map((l) => `${l.packageName}: ${seatsText(l, ctx) || 'seats not readable'}`);
      return seatsLine.length > 0 ? `${name} uses ${seatsLine.join('; ')}.` : `${name} has no active or trial license.`;
    }
    case 'version': {
      const versions = licenses
        .filter((l) => l.status !== 'Uninstalled')
        .map((l) => `${l.packageName} ${l.version ?? '(version unknown)'}`);
      return versions.length > 0
        ? `${name} is on ${versions.join(', ')}.`
        : `${name} has the package uninstalled everywhere.`;
    }
    default:
      return `${plural(licenses.length, 'license')}: ${summarizeStatuses(licenses)}.`;
  }
}

function summarizeStatuses(licenses: License[]): string {
  const counts = new Map<string, number>();
  for (const l of licenses) counts.set(l.status, (counts.get(l.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

function ambiguousView(lookup: Extract<CustomerLookup, { kind: 'ambiguous' }>, focus: CustomerFocus): SlackView {
  const shown = lookup.candidates.slice(0, 10);
  const buttons = shown.map((c, i) =>
    button(c.customer.name, `${ACTION_PICK_CUSTOMER}_${i}`, JSON.stringify({ name: c.customer.name, focus })),
  );
  const list = shown.map((c) => `• ${escapeText(c.customer.name)} (${plural(c.licenses, 'license')})`).join('\n');
  const more =
    lookup.candidates.length > shown.length
      ? `\n…and ${lookup.candidates.length - shown.length} more: type more of the name.`
      : '';
  return {
    text: escapeText(
      `${lookup.candidates.length} customers match "${lookup.term}": ${shown.map((c) => c.customer.name).join(', ')}. Which one?`,
    ),
    blocks: [
      section(
        `*${lookup.candidates.length} customers match “${escapeText(lookup.term)}”.* Which one did you mean?\n${list}${more}`,
      ),
      actions('lma_pick_customer', buttons),
    ],
  };
}

function noCustomerView(lookup: Extract<CustomerLookup, { kind: 'none' }>): SlackView {
  const hint =
    lookup.suggestions.length > 0
      ? ` Did you mean ${lookup.suggestions.map((s) => `*${escapeText(s)}*`).join(', ')}?`
      : '';
  const buttons = lookup.suggestions.map((s, i) =>
    button(s, `${ACTION_PICK_CUSTOMER}_${i}`, JSON.stringify({ name: s, focus: 'status' })),
  );
  return {
    text: escapeText(
      `No customer matches "${lookup.term}".${lookup.suggestions.length > 0 ? ` Did you mean ${lookup.suggestions.join(', ')}?` : ''}`,
    ),
    blocks: [
      section(
        `No customer matches “${escapeText(lookup.term)}” (account name, lead company, subscriber org id or license id).${hint}`,
      ),
      ...(buttons.length > 0 ? [actions('lma_pick_customer', buttons)] : []),
    ],
  };
}
