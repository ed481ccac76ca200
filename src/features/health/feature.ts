/**
 * Seat health, `/lma health [package]` and "who is over their seats?" / "who is at risk?" / "which trials are
 * hot?" in threads: the numbers that drive a rep's week (expansion, churn risk, trials used in earnest), with the
 * thresholds from the configuration shown in the answer.
 */
import type { ActionHandler, Answered, AnswerOptions, Answers, FeatureFactory } from '../../app/runtime.js';
import { ANSWER_DEADLINE_MS } from '../../lma/client.js';
import type { DateRange } from '../../lma/dates.js';
import type { HealthListName } from '../../lma/model.js';
import { type Question, readHealth } from '../../parse/index.js';
import { type SlackView, sendWithFallback } from '../../slack/blocks.js';
import { rowLimit, type ViewContext } from '../../slack/licenses.js';
import { decodeList, type ListRequest, numberedControls } from '../../slack/lists.js';
import { explainFailure, outOfDateView } from '../../slack/messages.js';
import { ownerScope } from '../../slack/owners.js';
import { healthPageView, healthView } from './views.js';

/** Next and Previous on a seat-health list (lma_health_page_next, …). */
export const ACTION_HEALTH_PAGE = 'lma_health_page_';

type HealthQuestion = Extract<Question, { kind: 'health' }>;

export const healthFeature: FeatureFactory = (runtime) => {
  const { service, config } = runtime;
  const ctxBase = (): ViewContext => ({
    instanceUrl: runtime.lmo.instanceUrl(),
    lmoLabel: runtime.lmo.label(),
    readAt: runtime.clock(),
    timezone: config.timezone,
    hidden: service.fieldAccess().omittedFacts,
  });
  const answer = async (request: HealthQuestion, options: AnswerOptions): Promise<Answered> => {
    try {
      const scope = await ownerScope(request.mine, options.asker, runtime.owners);
      if ('view' in scope) return scope;
      const health = await runtime.metrics.timed('health', () =>
        runtime.client.withDeadline(ANSWER_DEADLINE_MS, () =>
          service.health({
            package: request.package,
            ownerId: scope.ownerId,
            ...(request.list && { lists: [request.list] }),
            renewalDays: config.health.renewalDays,
            lowUse: config.health.lowUse,
          }),
        ),
      );
      // Each list's buttons: Next when it is longer than the answer shows, and Export CSV.
      const controlsOf = (kind: HealthListName, list: { total: number } | undefined, range?: DateRange) =>
        list?.total
          ? {
              [kind]: numberedControls(
                listOf(kind, request, { range, compact: options.compact }),
                {
                  number: 1,
                  hasPrevious: false,
                  hasNext: list.total > rowLimit({ ...ctxBase(), compact: options.compact }),
                },
                ACTION_HEALTH_PAGE,
              ),
            }
          : {};
      const controls = {
        ...controlsOf('over', health.over),
        ...controlsOf('risk', health.risk, health.risk?.range),
        ...controlsOf('hot', health.hot),
      };
      const view = healthView(health, { ...ctxBase(), compact: options.compact, ownerName: scope.ownerName }, controls);
      return { view };
    } catch (error) {
      return { view: explainFailure(error, 'answering seat health', runtime.logger) };
    }
  };
  const answers: Answers<HealthQuestion> = { kinds: ['health'], answer };

  /** Next and Previous on a seat-health list: the page the button names, in place of the message. */
  const pageButton: ActionHandler = {
    id: { prefix: ACTION_HEALTH_PAGE },
    async handle({ body, action, respond, tell, client }) {
      const read = decodeList(action.value);
      const kind = read?.list.kind;
      if (!read?.page || (kind !== 'over' && kind !== 'risk' && kind !== 'hot')) return tell(outOfDateView());
      const { list, page } = read;
      const asker = body.user?.id ? { userId: body.user.id, client } : undefined;
      const ctx: ViewContext = { ...ctxBase(), compact: list.compact };
      let view: SlackView;
      try {
        const scope = await ownerScope(list.mine, asker, runtime.owners);
        if ('view' in scope) return tell(scope.view);
        const size = rowLimit(ctx);
        const rows = await runtime.metrics.timed('health', () =>
          runtime.client.withDeadline(ANSWER_DEADLINE_MS, () =>
            service.listPage({
              kind,
              range: list.range,
              package: list.package,
              ownerId: scope.ownerId,
              lowUse: config.health.lowUse,
              page: { number: page.number, size },
            }),
          ),
        );
        const controls = numberedControls(list, rows.page, ACTION_HEALTH_PAGE);
        view = healthPageView(
          kind,
          rows,
          { package: list.package, range: list.range, lowUse: config.health.lowUse },
          { ...ctx, ownerName: scope.ownerName },
          controls,
        );
      } catch (error) {
        view = explainFailure(error, 'answering seat health', runtime.logger);
      }
      await sendWithFallback(view, (v) => respond({ replace_original: true, ...v }));
    },
  };
  return {
    name: 'health',
    commands: [
      {
        name: 'health',
        usage: '/lma health [package] [mine]',
        example: '/lma health Invoicer',
        summary:
          'Seat health: who is over their seats, who renews soon using few of them (at risk), which trials are hot.',
        takesPackage: true,
        parse: readHealth,
      },
    ],
    answers,
    actions: [pageButton],
  };
};

/** The list a button of a seat-health answer names. */
function listOf(
  kind: HealthListName,
  request: HealthQuestion,
  o: { range?: DateRange; compact?: boolean },
): ListRequest {
  return {
    kind,
    ...(o.range && { range: o.range }),
    ...(request.package && { package: request.package }),
    ...(request.mine && { mine: true }),
    ...(o.compact && { compact: true }),
  };
}
