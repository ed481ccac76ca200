/**
 * The types every feature is built on. TYPES ONLY, and a leaf of the import graph: any module may import it without
 * tying itself to the wiring (test/architecture.test.ts holds it to that).
 *
 * A feature is ONE value of ONE type, made from the runtime by ONE plug-in signature: `(runtime) => Feature`. It
 * declares what it owns — `/lma` subcommands, the kinds of question it answers, Block Kit action ids, modal callback
 * ids, Events API event types, thread kinds — and the core (src/app) registers one listener per input after checking
 * that no two features claim the same one. The core's middleware acks, checks access, counts requests in flight,
 * claims each Slack message once and tells the person when a handler throws, so a handler holds only what its
 * feature does.
 */
import type {
  AckFn,
  BlockButtonAction,
  ButtonAction,
  RespondFn,
  SlackViewAction,
  SlashCommand,
  types,
  ViewOutput,
  ViewResponseAction,
  webApi,
} from '@slack/bolt';
import type { Config } from '../config.js';
import type { ChangeFeed } from '../lma/change-feed.js';
import type { LmoClient } from '../lma/client.js';
import type { LmoService } from '../lma/service.js';
import type { StatusChangeCounts } from '../lma/status-change-days.js';
import type { BotLogger } from '../logger.js';
import type { BotMetrics } from '../metrics.js';
import type { CommandSpec, ParseContext, Question } from '../parse/index.js';
import type { SlackView } from '../slack/blocks.js';
import type { Asker, SalesforceOwners } from '../slack/owners.js';
import type { Store, ThreadKind } from '../store/store.js';

export type WebClient = webApi.WebClient;

/** Everything a feature is built from. Made once at start-up, before any feature; nothing in it is set later. */
export interface BotRuntime {
  config: Config;
  logger: BotLogger;
  clock: () => Date;
  store: Store;
  client: LmoClient;
  service: LmoService;
  /** What changed in the LMO: the ONE feed the alerts and the digest both read. */
  feed: ChangeFeed;
  lmo: LmoConnection;
  /** What GET /metrics reports (answers, digest runs: the features count their own). */
  metrics: BotMetrics;
  /** Slack users → their Salesforce users, for `mine`. */
  owners: SalesforceOwners;
  /** The finished days' status change counts, kept in the store: the App Home and the conversions answer share them. */
  statusChangeCounts: StatusChangeCounts;
  /** Today and the known packages, for the grammar. */
  parseContext(): ParseContext;
}

/** What is known of the connected LMO (its catalog is read at start-up and every few minutes). */
export interface LmoConnection {
  /** "embedded demo LMO (Demo ISV)" or the org's name and id, once known. */
  label(): string;
  /** The org's base URL for record links ('' until connected). */
  instanceUrl(): string;
}

/** The one plug-in signature: every feature, built-in ones included, is made this way (see src/app/features.ts). */
export type FeatureFactory = (runtime: BotRuntime) => Feature;

export interface Feature {
  /** Names the feature in logs and in start-up conflicts. */
  name: string;
  /** `/lma` subcommands it owns. */
  commands?: Subcommand[];
  /** The kinds of question it answers, wherever asked: `/lma`, a thread, a button. */
  answers?: Answers;
  /** Block Kit buttons it owns. */
  actions?: ActionHandler[];
  /** Modals it owns, by callback id. */
  views?: ViewHandler[];
  /** Events API events it owns (`message` and `app_mention` are the core's: see `threads` and `conversation`). */
  events?: EventHandler[];
  /** Thread kinds it owns: every person's message in such a thread is handed to it, once. */
  threads?: ThreadHandler[];
  /** Messages in no owned thread — mentions, DMs, replies where the bot answered. One feature holds this. */
  conversation?: Conversation;
  /** Runs once the app listens (timers, catch-up); the client is ready to post. */
  start?(slack: StartContext): Promise<void> | void;
  /** Stops what `start` began; in-flight requests are drained after. */
  stop?(): Promise<void> | void;
  /** Lines `/lma help` shows at its foot, e.g. the digest's schedule. */
  help?(): string[];
}

/** Tells the person who acted, where they acted (see each context for where that is). */
export type Tell = (view: SlackView) => Promise<void>;

/**
 * A `/lma` subcommand: its words (name, aliases, usage, example, summary, argument grammar) and what it does.
 * Without `handle`, the request is a question: the feature that answers its kind answers it, privately, with a
 * "Share in channel" button.
 */
export interface Subcommand<Request extends { kind: string } = { kind: string }> extends CommandSpec<Request> {
  handle?(request: Request, ctx: CommandContext): Promise<void>;
}

export interface CommandContext {
  command: SlashCommand;
  client: WebClient;
  /** Privately to the person who typed it, in that channel (through the Web API if the response_url fails). */
  tell: Tell;
}

export interface Answers<Q extends Question = Question> {
  kinds: readonly Q['kind'][];
  answer(request: Q, ctx: AnswerContext): Promise<Answered>;
}

export interface AnswerOptions {
  /** Thread answers list fewer rows. */
  compact?: boolean;
  /** Who asked (and the client to look them up with): `mine` answers about their customers. */
  asker?: Asker;
  /** Command text the "Share in channel" button re-runs (slash answers only). */
  shareCommand?: string;
}

export interface AnswerContext extends AnswerOptions {
  /** What every feature offers, for help. */
  catalog: Catalog;
}

/** An answer, with the customer it was about (threads remember it for follow-ups). */
export interface Answered {
  view: SlackView;
  customer?: string;
}

/** What the bot can do, assembled from every feature. */
export interface Catalog {
  commands: readonly CommandSpec[];
  /** Every feature's help lines, as they read now. */
  notes(): string[];
}

/** Asks the feature that answers this kind of question. */
export type Ask = (request: Question, options?: AnswerOptions) => Promise<Answered>;

export interface ActionHandler {
  /** The action_id it owns, or `{ prefix }` for a numbered family (`lma_pick_customer_0`, `_1`, …). */
  id: string | { prefix: string };
  handle(ctx: ActionContext): Promise<void>;
}

export interface ActionContext {
  body: BlockButtonAction;
  action: ButtonAction;
  respond: RespondFn;
  client: WebClient;
  /** Privately to the person who clicked, beside the message (the message itself is left as it is). */
  tell: Tell;
  /** Asks the feature that answers this kind of question (a button that opens a full answer). */
  ask: Ask;
}

export interface ViewHandler {
  callbackId: string;
  handle(ctx: ViewContext): Promise<void>;
}

export interface ViewContext {
  body: SlackViewAction;
  view: ViewOutput;
  /** Not acked by the core: a submission may answer with errors or a new view. */
  ack: AckFn<ViewResponseAction> | AckFn<void>;
  client: WebClient;
}

export interface EventHandler {
  type: string;
  handle(ctx: EventContext): Promise<void>;
}

export interface EventContext {
  event: types.SlackEvent;
  client: WebClient;
}

/** A person's message (never a bot's, an edit or a deletion), as the core's one message listener reads it. */
export interface PersonMessage {
  type: 'message' | 'app_mention';
  channel: string;
  /** 'im' for a direct message (`message` events only). */
  channelType?: string;
  user: string;
  text: string;
  ts: string;
  threadTs?: string;
}

export interface ThreadHandler {
  kind: ThreadKind;
  handle(message: PersonMessage & { threadTs: string }, ctx: ThreadContext): Promise<void>;
}

export interface ThreadContext {
  client: WebClient;
  /** Privately to the person who wrote, in the thread. */
  tell: Tell;
}

/** The conversation: which messages are questions for the bot, and how they are answered. */
export interface Conversation<Q extends Asked = Asked> {
  /** Decides, from the message and what the bot did in its thread: a question, and where it is answered, or not. */
  route(message: PersonMessage, where: RouteInfo): { answer: Q } | { ignore: string };
  handle(question: Q, ctx: ConversationContext): Promise<void>;
}

export interface RouteInfo {
  /** What the bot did in the message's thread; undefined when it never spoke there (or there is no thread). */
  thread?: ThreadKind;
  /** The bot's own user id, to tell a mention of the bot from one of someone else. */
  botUserId?: string;
}

/** Where a question is answered: in the open, in that channel and thread (none: a DM's main conversation). */
export interface Asked {
  channel: string;
  replyThreadTs?: string;
  /** Spoken to the bot (a mention, a DM), not only a reply in a thread it spoke in: who may be refused (privately). */
  addressed: boolean;
}

export interface ConversationContext {
  client: WebClient;
  /** In the open, where the question is answered (the answer, a refusal, a failure all go there). */
  tell: Tell;
  ask: Ask;
}

export interface StartContext {
  client: WebClient;
}
