/**
 * One path for every question about licenses: a typed request → LmoService → a Block Kit view. Slash commands,
 * buttons, mentions and thread replies all end here, so they answer alike. Failures become views, never exceptions.
 */
import type { Answered, AnswerOptions } from '../../app/runtime.js';
import type { DateRange } from '../../lma/dates.js';
import type { CustomerFocus, LmoService, PageRequest, RenewalTotals, TrialTotals } from '../../lma/service.js';
import type { StatusChangeCounts } from '../../lma/status-change-days.js';
import type { BotLogger } from '../../logger.js';
import type { Question } from '../../parse/index.js';
import { pageSize, type ViewContext } from '../../slack/licenses.js';
import { type ListRequest, numberedControls } from '../../slack/lists.js';
import { explainFailure } from '../../slack/messages.js';
import { ownerScope, type SalesforceOwners } from '../../slack/owners.js';
import { type ListTotals, listControls, listRequestOf } from './paging.js';
import { conversionsView, customerView, licenseListView, renewalsView, trialsView } from './views.js';

export interface AnswererDeps {
  service: LmoService;
  /** Slack users → Salesforce users, for `mine`. */
  owners: SalesforceOwners;
  logger: BotLogger;
  clock: () => Date;
  timezone: string;
  /** The LMO's name for context lines, and its base URL for record links (known once connected). */
  lmo: { label: () => string; instanceUrl: () => string };
  /** Runs one answer's LMO calls under one deadline, so the user hears back in time whatever the LMO does. */
  withinDeadline?: <T>(run: () => Promise<T>) => Promise<T>;
  /** Runs each answer counted by kind and outcome (metrics). */
  timed?: <T>(kind: string, run: () => Promise<T>) => Promise<T>;
  /** Finished days' status change counts (the store's): conversions read only the days not kept. */
  statusChangeCounts?: StatusChangeCounts;
}

const query = (request: { range?: DateRange; package?: string }, ownerId?: string) => ({
  range: request.range,
  package: request.package,
  ownerId,
});

/** A page of a list, with the figures its first page read (for a later page). */
export type ListPage = PageRequest & { totals?: ListTotals };

/** Every question but help and seat health (their features answer them). */
export type LicenseQuestion = Exclude<Question, { kind: 'help' | 'health' }>;

export class Answerer {
  constructor(private readonly deps: AnswererDeps) {}

  /**
   * Answers a question; a `{ previous: true }` customer must have been resolved to a term by the caller. A list that
   * pages (trials, renewals) shows `page` (default: the first).
   */
  async answer(request: LicenseQuestion, options: AnswerOptions = {}, page?: ListPage): Promise<Answered> {
    return this.guarded(request.kind, options, async (ctx) => {
      const scope = await ownerScope('mine' in request && request.mine, options.asker, this.deps.owners);
      if ('view' in scope) return scope;
      const scoped = { ...ctx, ownerName: scope.ownerName };
      return this.dispatch(request, scoped, scope.ownerId, page ?? { number: 1, size: pageSize(ctx) });
    });
  }

  /** A customer's licenses with the answer led by `focus` (a pick from a list of candidates lands here). */
  async aboutCustomer(term: string, focus: CustomerFocus, options: AnswerOptions = {}): Promise<Answered> {
    return this.guarded(focus, options, (ctx) => this.customer({ term }, focus, undefined, ctx));
  }

  /** Runs one answer with its view context; LMO failures become failure views, never exceptions. */
  private async guarded(
    what: string,
    options: AnswerOptions,
    run: (ctx: ViewContext) => Promise<Answered>,
  ): Promise<Answered> {
    const ctx: ViewContext = {
      instanceUrl: this.deps.lmo.instanceUrl(),
      lmoLabel: this.deps.lmo.label(),
      readAt: this.deps.clock(),
      timezone: this.deps.timezone,
      compact: options.compact,
      shareCommand: options.shareCommand,
      hidden: this.deps.service.fieldAccess().omittedFacts,
    };
    const answer = () => (this.deps.withinDeadline ? this.deps.withinDeadline(() => run(ctx)) : run(ctx));
    try {
      return await (this.deps.timed ? this.deps.timed(what, answer) : answer());
    } catch (error) {
      return { view: explainFailure(error, `answering ${what}`, this.deps.logger) };
    }
  }

  /** `ownerId`: only that Salesforce user's customers (`mine`). */
  private async dispatch(
    request: LicenseQuestion,
    ctx: ViewContext,
    ownerId: string | undefined,
    page: ListPage,
  ): Promise<Answered> {
    const { service } = this.deps;
    const list = listRequestOf(request, ctx);
    switch (request.kind) {
      case 'trials': {
        const totals = page.totals && !('seats' in page.totals) ? page.totals : undefined;
        const answer = await service.trials({ ...query(request, ownerId), page, totals });
        const figures: TrialTotals = { total: answer.total, expiredUnconverted: answer.expiredUnconverted };
        const controls = list && listControls(list, { ...answer, licenses: answer.trials, totals: figures });
        return { view: trialsView(answer, ctx, controls) };
      }
      case 'renewals': {
        if (request.customer) return this.customer(request.customer, 'renewal', request.package, ctx);
        const totals = page.totals && 'seats' in page.totals ? page.totals : undefined;
        const answer = await service.renewals({ ...query(request, ownerId), range: request.range, page, totals });
        const figures: RenewalTotals = { total: answer.total, seats: answer.seats, siteLicenses: answer.siteLicenses };
        return { view: renewalsView(answer, ctx, list && listControls(list, { ...answer, totals: figures })) };
      }
      case 'conversions':
        if (request.customer) return this.customer(request.customer, 'conversion', request.package, ctx);
        return {
          view: conversionsView(
            await service.conversions({ range: request.range, package: request.package }, this.deps.statusChangeCounts),
            ctx,
          ),
        };
      case 'status':
        return this.customer(request.customer, 'status', request.package, ctx);
      case 'seats':
        return this.customer(request.customer, 'seats', request.package, ctx);
      case 'version': {
        if (request.customer) return this.customer(request.customer, 'version', request.package, ctx);
        const versionPrefix = request.versionPrefix ?? '';
        const list: ListRequest = {
          kind: 'version',
          version: versionPrefix,
          ...(request.package && { package: request.package }),
          ...(ctx.compact && { compact: true }),
        };
        // The first page from the answer's one call; a later one read by position (service.listPage).
        const size = page.size;
        const answer =
          page.number > 1
            ? await service.listPage({
                kind: 'version',
                versionPrefix,
                package: request.package,
                page: { number: page.number, size },
              })
            : await this.firstVersionPage(versionPrefix, request.package, size);
        const controls = answer.total > 0 ? numberedControls(list, answer.page) : [];
        return { view: licenseListView({ ...answer, versionPrefix, package: request.package }, ctx, controls) };
      }
    }
  }

  /** The first page of a version's installs: the answer's one call (its first rows, and the count). */
  private async firstVersionPage(versionPrefix: string, pkg: string | undefined, size: number) {
    const answer = await this.deps.service.versionUsage({ versionPrefix, package: pkg });
    return {
      today: answer.today,
      licenses: answer.licenses.slice(0, size),
      total: answer.total,
      page: { number: 1, size, hasPrevious: false, hasNext: answer.total > size },
    };
  }

  private async customer(
    ref: { term: string } | { previous: true },
    focus: CustomerFocus,
    pkg: string | undefined,
    ctx: ViewContext,
  ): Promise<Answered> {
    if (!('term' in ref)) throw new Error('A follow-up customer must be resolved before answering');
    const lookup = await this.deps.service.findCustomer(ref.term, pkg);
    const view = customerView(lookup, focus, ctx, this.deps.service.today());
    return { view, customer: lookup.kind === 'found' ? lookup.customer.name : undefined };
  }
}
