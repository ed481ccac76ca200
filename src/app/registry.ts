/**
 * Who owns each Slack input, read from the features' declarations at start-up: every `/lma` subcommand (and alias),
 * question kind, action id, callback id, event type and thread kind has exactly one owner, and two features claiming
 * the same one stop the start with a message naming both.
 */
import { QUESTION_KINDS, type Question } from '../parse/index.js';
import type { ThreadKind } from '../store/store.js';
import type {
  ActionHandler,
  Answered,
  AnswerOptions,
  Answers,
  Catalog,
  Conversation,
  EventHandler,
  Feature,
  Subcommand,
  ThreadHandler,
  ViewHandler,
} from './runtime.js';

/** The message events the core's one message listener owns (features claim thread kinds or the conversation). */
export const MESSAGE_EVENTS = ['message', 'app_mention'] as const;

export interface Registry {
  features: readonly Feature[];
  /** In the features' order: help lists them so. */
  commands: readonly Subcommand[];
  actions: readonly ActionHandler[];
  views: readonly ViewHandler[];
  events: readonly EventHandler[];
  /** Each owned thread kind's handler, with the feature that owns it. */
  threads: ReadonlyMap<ThreadKind, ThreadHandler & { feature: string }>;
  conversation?: Conversation;
  catalog: Catalog;
  /** The subcommand named so (its request kind). */
  command(kind: string): Subcommand | undefined;
  /** Answers a question by the feature that owns its kind. */
  ask(request: Question, options?: AnswerOptions): Promise<Answered>;
}

/** Thrown at start-up; the message names the features and the input (src/index.ts prints it as is). */
export class FeatureConflictError extends Error {
  constructor(problem: string) {
    super(
      `${problem} Each Slack input has one owner: rename one of them, or take a feature out of src/app/features.ts.`,
    );
    this.name = 'FeatureConflictError';
  }
}

/** Records owners of one kind of input; a second claim of the same key names both features. */
class Claims {
  private readonly owners = new Map<string, string>();
  constructor(private readonly what: string) {}

  claim(key: string, feature: string, overlaps: (other: string) => boolean = (other) => other === key): void {
    for (const [other, owner] of this.owners) {
      if (overlaps(other))
        throw new FeatureConflictError(
          `the features "${owner}" and "${feature}" both claim the ${this.what} ${other === key ? `\`${key}\`` : `\`${other}\` / \`${key}\``}.`,
        );
    }
    this.owners.set(key, feature);
  }
}

/** An action id claim as a key: exact ids, or a prefix that every id starting with it matches. */
const actionKey = (id: ActionHandler['id']) => (typeof id === 'string' ? id : `${id.prefix}*`);
const actionsOverlap = (a: string, b: string) => {
  const prefix = (key: string) => (key.endsWith('*') ? key.slice(0, -1) : undefined);
  const [pa, pb] = [prefix(a), prefix(b)];
  if (pa === undefined && pb === undefined) return a === b;
  if (pa !== undefined && pb !== undefined) return pa.startsWith(pb) || pb.startsWith(pa);
  return pa !== undefined ? b.startsWith(pa) : a.startsWith(pb!);
};

export function registerFeatures(features: readonly Feature[]): Registry {
  const names = new Claims('name');
  const words = new Claims('/lma subcommand');
  const kinds = new Claims('question kind');
  const actionIds = new Claims('action id');
  const callbackIds = new Claims('modal callback id');
  const eventTypes = new Claims('event type');
  const threadKinds = new Claims('thread kind');
  const conversations = new Claims('conversation (mentions, DMs, replies in bot threads)');
  for (const event of MESSAGE_EVENTS) eventTypes.claim(event, 'the core message listener');

  const answerers = new Map<string, Answers>();
  const threads = new Map<ThreadKind, ThreadHandler & { feature: string }>();
  let conversation: Conversation | undefined;
  for (const feature of features) {
    const { name } = feature;
    names.claim(name, name);
    for (const command of feature.commands ?? [])
      for (const word of [command.name, ...(command.aliases ?? [])]) words.claim(word, name);
    for (const kind of feature.answers?.kinds ?? []) {
      kinds.claim(kind, name);
      answerers.set(kind, feature.answers!);
    }
    for (const action of feature.actions ?? []) {
      const key = actionKey(action.id);
      actionIds.claim(key, name, (other) => actionsOverlap(other, key));
    }
    for (const view of feature.views ?? []) callbackIds.claim(view.callbackId, name);
    for (const event of feature.events ?? []) eventTypes.claim(event.type, name);
    for (const thread of feature.threads ?? []) {
      threadKinds.claim(thread.kind, name);
      threads.set(thread.kind, { ...thread, feature: name });
    }
    if (feature.conversation) {
      conversations.claim('conversation', name);
      conversation = feature.conversation;
    }
  }
  const unanswered = QUESTION_KINDS.filter((kind) => !answerers.has(kind));
  if (unanswered.length > 0)
    throw new FeatureConflictError(`no feature answers ${unanswered.map((k) => `\`${k}\``).join(', ')} questions.`);

  const commands = features.flatMap((f) => f.commands ?? []);
  for (const command of commands)
    if (!command.handle && !answerers.has(command.name))
      throw new FeatureConflictError(`\`/lma ${command.name}\` has no handler and no feature answers it.`);

  const catalog: Catalog = {
    commands,
    notes: () => features.flatMap((f) => f.help?.() ?? []),
  };
  return {
    features,
    commands,
    actions: features.flatMap((f) => f.actions ?? []),
    views: features.flatMap((f) => f.views ?? []),
    events: features.flatMap((f) => f.events ?? []),
    threads,
    conversation,
    catalog,
    command: (kind) => commands.find((c) => c.name === kind),
    ask: (request, options = {}) => answerers.get(request.kind)!.answer(request, { ...options, catalog }),
  };
}
