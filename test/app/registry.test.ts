/**
 * One owner per input, decided at start-up: two features claiming the same subcommand, question kind, action id,
 * callback id, event type, thread kind or the conversation stop the start with a message naming both.
 */
import { describe, expect, test } from 'vitest';
import { FEATURES } from '../../src/app/features.js';
import { FeatureConflictError, registerFeatures } from '../../src/app/registry.js';
import type { Feature, Subcommand } from '../../src/app/runtime.js';
import { accept } from '../../src/parse/index.js';
import { offlineRuntime } from '../support/offline-runtime.js';

const real = () => FEATURES.map((feature) => feature(offlineRuntime()));
const command = (name: string, aliases?: string[]): Subcommand => ({
  name,
  ...(aliases && { aliases }),
  usage: `/lma ${name}`,
  example: `/lma ${name}`,
  summary: 'A test command.',
  parse: () => accept({ kind: name }),
  handle: async () => undefined,
});
const noop = async () => undefined;

describe('the real features', () => {
  test('claim their inputs without a conflict, and every kind of question has its one answerer', () => {
    const registry = registerFeatures(real());
    expect(registry.commands.map((c) => c.name)).toEqual([
      'status',
      'trials',
      'conversions',
      'renewals',
      'health',
      'install',
      'digest',
      'doctor',
      'help',
    ]);
    expect(registry.conversation).toBeDefined();
    expect([...registry.threads.keys()]).toEqual(['guide']);
  });
});

describe('two features claiming one input fail at start-up, naming both', () => {
  test.each<[string, Feature, RegExp]>([
    [
      'a subcommand',
      { name: 'clash', commands: [command('digest')] },
      /"digest" and "clash" both claim the \/lma subcommand `digest`/,
    ],
    [
      'an alias against a name',
      { name: 'clash', commands: [command('renewal')] },
      /"answers" and "clash" both claim the \/lma subcommand `renewal`/,
    ],
    [
      'a question kind',
      { name: 'clash', answers: { kinds: ['seats'], answer: async () => ({ view: { text: '', blocks: [] } }) } },
      /"answers" and "clash" both claim the question kind `seats`/,
    ],
    [
      'an action id',
      { name: 'clash', actions: [{ id: 'lma_share', handle: noop }] },
      /"answers" and "clash" both claim the action id `lma_share`/,
    ],
    [
      'an action id inside another feature’s prefix',
      { name: 'clash', actions: [{ id: 'guide_extra', handle: noop }] },
      /"guide" and "clash" both claim the action id `guide_\*` \/ `guide_extra`/,
    ],
    [
      'a prefix covering another feature’s action id',
      { name: 'clash', actions: [{ id: { prefix: 'lma_' }, handle: noop }] },
      /"answers" and "clash" both claim the action id `lma_share` \/ `lma_\*`/,
    ],
    [
      'a thread kind',
      { name: 'clash', threads: [{ kind: 'guide', handle: noop }] },
      /"guide" and "clash" both claim the thread kind `guide`/,
    ],
    [
      'the conversation',
      { name: 'clash', conversation: { route: () => ({ ignore: 'test' }), handle: noop } },
      /"threads" and "clash" both claim the conversation/,
    ],
    [
      'the message events, which are the core’s',
      { name: 'clash', events: [{ type: 'message', handle: noop }] },
      /"the core message listener" and "clash" both claim the event type `message`/,
    ],
    ['a feature’s name', { name: 'digest' }, /"digest" and "digest" both claim the name `digest`/],
  ])('%s', (_what, clash, message) => {
    const conflict = () => registerFeatures([...real(), clash]);
    expect(conflict).toThrow(FeatureConflictError);
    expect(conflict).toThrow(message);
  });

  test('a callback id and an event type', () => {
    const views = (name: string): Feature => ({ name, views: [{ callbackId: 'weather_setup', handle: noop }] });
    expect(() => registerFeatures([...real(), views('weather'), views('forecast')])).toThrow(
      /"weather" and "forecast" both claim the modal callback id `weather_setup`/,
    );
    // The real home feature owns app_home_opened: a second claim names it.
    const events = (name: string): Feature => ({ name, events: [{ type: 'app_home_opened', handle: noop }] });
    expect(() => registerFeatures([...real(), events('weather')])).toThrow(
      /"home" and "weather" both claim the event type `app_home_opened`/,
    );
  });
});

describe('a start that could not answer stops too', () => {
  test('a question kind no feature answers', () => {
    const withoutAnswers = real().filter((f) => f.name !== 'answers');
    expect(() => registerFeatures(withoutAnswers)).toThrow(/no feature answers `status`, `trials`/);
  });

  test('a subcommand with no handler that no feature answers', () => {
    const { handle: _none, ...question } = command('weather');
    expect(() => registerFeatures([...real(), { name: 'weather', commands: [question] }])).toThrow(
      /`\/lma weather` has no handler and no feature answers it/,
    );
  });
});
