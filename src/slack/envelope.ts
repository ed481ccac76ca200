/**
 * What a request body is, read against the shapes Slack documents for each payload type, before Bolt sees it. Bolt
 * dereferences the fields it needs without checking them (a `block_actions` with `channel: null`, a `view_closed`
 * without a view, an event whose `authorizations` is `[null]` each answer 500), and it answers an input nobody
 * listens to with a 404 after 3 s. So each body is one of:
 * - `not-slack`: not any shape Slack sends (not JSON, no type): refused with 400;
 * - `misshaped`: a type Slack sends, without the fields Slack always gives it: answered 200 and logged (Slack never
 *   retries a 200, and a person cannot have caused it);
 * - `unowned`: well-formed, but a payload type or command this app does not listen to: answered 200 quietly;
 * - `ok`: handed to Bolt.
 * Pure: the body's text in, the verdict out; the same for a message on a Socket Mode connection (readSocketMessage).
 */
import { parse } from 'node:querystring';

export type Envelope =
  | { kind: 'not-slack' }
  | { kind: 'misshaped'; type: string }
  | { kind: 'unowned'; type: string }
  | { kind: 'ok'; type: string; payload: Record<string, unknown> };

/** The interaction payload types and slash commands the app has listeners for. */
export interface Owned {
  interactions: ReadonlySet<string>;
  commands: ReadonlySet<string>;
}

type Fields = Record<string, unknown>;
type Check = (payload: Fields) => boolean;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const hasId = (value: unknown) => isObject(value) && isString(value.id);
const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

const user: Check = (p) => hasId(p.user);
// Org-wide installs send `team: null` with the user's team on `user`; otherwise a team with an id.
const team: Check = (p) => p.team === null || hasId(p.team);
const channel: Check = (p) => hasId(p.channel);
// A click in a modal or the Home tab comes from no channel.
const optionalChannel: Check = (p) => optional(p.channel, hasId);
const view: Check = (p) => isObject(p.view) && isString(p.view.id) && isString(p.view.callback_id);
const callbackId: Check = (p) => isString(p.callback_id);
const triggerId: Check = (p) => isString(p.trigger_id);
const actions: Check = (p) =>
  Array.isArray(p.actions) && p.actions.length > 0 && p.actions.every((a) => isObject(a) && isString(a.action_id));

/** Slack's interaction payloads (the `payload` form field) and the fields each always carries. */
const INTERACTIONS: Record<string, readonly Check[]> = {
  block_actions: [user, team, optionalChannel, actions],
  block_suggestion: [user, team, (p) => isString(p.action_id) && isString(p.value)],
  view_submission: [user, team, view],
  view_closed: [user, team, view],
  shortcut: [user, team, callbackId, triggerId],
  message_action: [user, team, channel, callbackId, triggerId, (p) => isObject(p.message)],
  interactive_message: [user, team, channel, callbackId, (p) => Array.isArray(p.actions)],
  dialog_submission: [user, team, channel, callbackId, (p) => isObject(p.submission)],
  dialog_cancellation: [user, team, channel, callbackId],
  dialog_suggestion: [user, team, channel, callbackId],
};

const inChannel: Check = (e) => isString(e.channel);
const byUser: Check = (e) => isString(e.user);
/** The events whose fields Bolt or the app read, and those fields (other event types need only a type). */
const EVENTS: Record<string, readonly Check[]> = {
  message: [inChannel, (e) => optional(e.text, isString) && optional(e.user, isString)],
  app_mention: [inChannel, byUser, (e) => isString(e.ts) && optional(e.text, isString)],
  reaction_added: [byUser, (e) => isObject(e.item)],
  reaction_removed: [byUser, (e) => isObject(e.item)],
  app_home_opened: [byUser],
  member_joined_channel: [byUser, inChannel],
};

const eventCallback: Check = (p) => {
  const event = p.event;
  if (!isObject(event) || !isString(event.type)) return false;
  if (!optional(p.authorizations, (a) => Array.isArray(a) && a.every(isObject))) return false;
  if (!isString(p.team_id) && !isString(p.enterprise_id)) return false;
  return (EVENTS[event.type] ?? []).every((check) => check(event));
};

/** Slash command fields Bolt and the /lma listener read; a field given twice arrives as an array and is refused. */
const command: Check = (p) =>
  [p.user_id, p.channel_id, p.team_id].every(isString) &&
  optional(p.text, isString) &&
  optional(p.response_url, isString);

export function readEnvelope(text: string, contentType: string | undefined, owned: Owned): Envelope {
  // Bolt parses only exactly this content type as a form; anything else as JSON.
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parse(text);
    if (form.ssl_check === '1') return { kind: 'ok', type: 'ssl_check', payload: form };
    if (typeof form.payload === 'string') return interaction(parseJson(form.payload), owned);
    return slashCommand(form, owned);
  }
  return eventsApi(parseJson(text));
}

/**
 * A message on a Socket Mode connection: the connection's own (`hello`, `disconnect`) are the client's to handle;
 * each payload Slack sends over it (the same payloads as over HTTP) is read as readEnvelope reads them, with the id
 * to acknowledge it by. Only Slack writes to the connection, so a payload of a known envelope type that is no Slack
 * shape, or over `maxBytes` (HTTP's body limit), is mis-shaped rather than not Slack's, and an unknown envelope type
 * is unowned.
 */
export type SocketMessage =
  | { kind: 'connection' }
  | { kind: 'not-slack' }
  | (Exclude<Envelope, { kind: 'not-slack' }> & { envelopeId: string });

export function readSocketMessage(text: string, owned: Owned, maxBytes: number): SocketMessage {
  const message = parseJson(text);
  if (!isObject(message) || !isString(message.type)) return { kind: 'not-slack' };
  const { type } = message;
  if (type === 'hello' || type === 'disconnect') return { kind: 'connection' };
  // Without an id there is nothing to acknowledge and nothing Slack sends.
  if (!isString(message.envelope_id)) return { kind: 'not-slack' };
  const envelopeId = message.envelope_id;
  if (Buffer.byteLength(text) > maxBytes) return { kind: 'misshaped', type, envelopeId };
  const read = SOCKET_PAYLOADS[type];
  const envelope: Envelope = read ? read(message.payload, owned) : { kind: 'unowned', type };
  return envelope.kind === 'not-slack' ? { kind: 'misshaped', type, envelopeId } : { ...envelope, envelopeId };
}

const SOCKET_PAYLOADS: Record<string, (payload: unknown, owned: Owned) => Envelope> = {
  events_api: (payload) => eventsApi(payload),
  interactive: interaction,
  slash_commands: (payload, owned) => (isObject(payload) ? slashCommand(payload, owned) : { kind: 'not-slack' }),
};

function slashCommand(form: Fields, owned: Owned): Envelope {
  if (typeof form.command !== 'string' || !form.command.startsWith('/')) return { kind: 'not-slack' };
  const type = `slash command ${form.command}`;
  if (!command(form)) return { kind: 'misshaped', type };
  return owned.commands.has(form.command) ? { kind: 'ok', type, payload: form } : { kind: 'unowned', type };
}

function eventsApi(body: unknown): Envelope {
  if (!isObject(body) || !isString(body.type)) return { kind: 'not-slack' };
  // An event that is there but not an object is no Events API envelope at all.
  if (body.event !== undefined && !isObject(body.event)) return { kind: 'not-slack' };
  if (body.type === 'url_verification')
    return isString(body.challenge)
      ? { kind: 'ok', type: body.type, payload: body }
      : { kind: 'misshaped', type: body.type };
  if (body.type === 'event_callback') {
    const type = `event ${isObject(body.event) && isString(body.event.type) ? body.event.type : '(none)'}`;
    return eventCallback(body) ? { kind: 'ok', type, payload: body } : { kind: 'misshaped', type };
  }
  // app_rate_limited and envelope types Slack may add: nothing for the app to do.
  return { kind: 'unowned', type: body.type };
}

function interaction(payload: unknown, owned: Owned): Envelope {
  if (!isObject(payload) || !isString(payload.type)) return { kind: 'not-slack' };
  const { type } = payload;
  const checks = INTERACTIONS[type];
  if (checks && !checks.every((check) => check(payload))) return { kind: 'misshaped', type };
  return owned.interactions.has(type) ? { kind: 'ok', type, payload } : { kind: 'unowned', type };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
