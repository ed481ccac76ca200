/**
 * Seat health, `/lma health [package]` and "who is over their seats?" / "who is at risk?" / "which trials are
 * hot?" in threads: the numbers that drive a rep's week (expansion, churn risk, trials used in earnest), with the
 * thresholds from the configuration shown in the answer.
 */
import type { Answered, AnswerOptions, Answers, FeatureFactory } from '../../app/runtime.js';
import { ANSWER_DEADLINE_MS } from '../../lma/client.js';
import type { DateRange } from '../../lma/dates.js';
import type { HealthListName } from '../../lma/model.js';
import { type Question, readHealth } from '../../parse/index.js';
import { exportControls } from '../../slack/lists.js';
import { explainFailure } from '../../slack/messages.js';
import { ownerScope } from '../../slack/owners.js';
import { healthView } from './views.js';

type HealthQuestion = Extract<Question, { kind: 'health' }>;

export const healthFeature: FeatureFactory = (runtime) => {
  const { service, config } = runtime;
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
      const exportOf = (kind: HealthListName, range?: DateRange) =>
        exportControls({
          kind,
          ...(range && { range }),
          ...(request.package && { package: request.package }),
          ...(request.mine && { mine: true }),
        });
      const controls = {
        ...(health.over?.total && { over: exportOf('over') }),
        ...(health.risk?.total && { risk: exportOf('risk', health.risk.range) }),
        ...(health.hot?.total && { hot: exportOf('hot') }),
      };
      const view = healthView(
        health,
        {
          instanceUrl: runtime.lmo.instanceUrl(),
          lmoLabel: runtime.lmo.label(),
          readAt: runtime.clock(),
          timezone: config.timezone,
          compact: options.compact,
          ownerName: scope.ownerName,
          hidden: service.fieldAccess().omittedFacts,
        },
        controls,
      );
      return { view };
    } catch (error) {
      return { view: explainFailure(error, 'answering seat health', runtime.logger) };
    }
  };
  const answers: Answers<HealthQuestion> = { kinds: ['health'], answer };
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
  };
};
