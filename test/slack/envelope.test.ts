/**
 * readSocketMessage: what each message on a Socket Mode connection is read as, with the id it is acknowledged by
 * (pure; the guard and the client around it are tested in socket-guard.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { readSocketMessage } from '../../src/slack/envelope.js';

const OWNED = { interactions: new Set(['block_actions']), commands: new Set(['/lma']) };
const LIMIT = 10_000;
const read = (message: unknown, limit = LIMIT) => readSocketMessage(JSON.stringify(message), OWNED, limit);
const envelope = (type: string, payload: unknown) => ({ envelope_id: 'E1', type, payload });

const click = {
  type: 'block_actions',
  user: { id: 'U1' },
  team: { id: 'T1' },
  actions: [{ action_id: 'lma_share' }],
};
const command = { command: '/lma', user_id: 'U1', channel_id: 'C1', team_id: 'T1', text: 'trials' };
const mention = {
  type: 'event_callback',
  team_id: 'T1',
  event: { type: 'app_mention', user: 'U1', channel: 'C1', ts: '1.2', text: 'hi' },
};

describe('readSocketMessage', () => {
  test('the connection’s own messages are the client’s', () => {
    expect(read({ type: 'hello', num_connections: 1 })).toEqual({ kind: 'connection' });
    expect(read({ type: 'disconnect', reason: 'refresh_requested' })).toEqual({ kind: 'connection' });
  });

  test('a well-formed payload the app owns, of each envelope type, is ok with its type and envelope id', () => {
    expect(read(envelope('interactive', click))).toEqual({
      kind: 'ok',
      type: 'block_actions',
      payload: click,
      envelopeId: 'E1',
    });
    expect(read(envelope('slash_commands', command))).toEqual({
      kind: 'ok',
      type: 'slash command /lma',
      payload: command,
      envelopeId: 'E1',
    });
    expect(read(envelope('events_api', mention))).toEqual({
      kind: 'ok',
      type: 'event app_mention',
      payload: mention,
      envelopeId: 'E1',
    });
  });

  test.each([
    ['interactive', { ...click, user: null }, 'block_actions'],
    ['interactive', 'not an object', 'interactive'],
    ['slash_commands', { ...command, user_id: undefined }, 'slash command /lma'],
    ['slash_commands', 'trials', 'slash_commands'],
    ['slash_commands', { text: 'no command' }, 'slash_commands'],
    ['events_api', { ...mention, event: { type: 'app_mention' } }, 'event app_mention'],
    ['events_api', null, 'events_api'],
    ['events_api', { type: 'event_callback', event: 7 }, 'events_api'],
  ])('a %s payload not shaped as Slack sends it is mis-shaped, named %s', (type, payload, named) => {
    expect(read(envelope(type, payload))).toEqual({ kind: 'misshaped', type: named, envelopeId: 'E1' });
  });

  test('a message over the size limit is mis-shaped whatever it holds; one at the limit is read', () => {
    const message = envelope('slash_commands', command);
    const size = Buffer.byteLength(JSON.stringify(message));
    expect(read(message, size - 1)).toEqual({ kind: 'misshaped', type: 'slash_commands', envelopeId: 'E1' });
    expect(read(message, size)).toMatchObject({ kind: 'ok' });
  });

  test('payload types, commands and envelope types the app does not own are unowned, to be acknowledged', () => {
    expect(
      read(envelope('interactive', { ...click, type: 'view_closed', view: { id: 'V', callback_id: 'x' } })),
    ).toEqual({
      kind: 'unowned',
      type: 'view_closed',
      envelopeId: 'E1',
    });
    expect(read(envelope('slash_commands', { ...command, command: '/other' }))).toEqual({
      kind: 'unowned',
      type: 'slash command /other',
      envelopeId: 'E1',
    });
    expect(read(envelope('events_api', { type: 'app_rate_limited' }))).toEqual({
      kind: 'unowned',
      type: 'app_rate_limited',
      envelopeId: 'E1',
    });
    expect(read(envelope('something_new', {}))).toEqual({ kind: 'unowned', type: 'something_new', envelopeId: 'E1' });
  });

  test('no JSON, no type, or no envelope id: not a Slack message', () => {
    for (const text of ['not json', '7', 'null', '{"envelope_id":"E1"}', '{"type":7,"envelope_id":"E1"}'])
      expect(readSocketMessage(text, OWNED, LIMIT)).toEqual({ kind: 'not-slack' });
    expect(read({ type: 'close' })).toEqual({ kind: 'not-slack' });
    expect(read({ type: 'interactive', envelope_id: 7, payload: click })).toEqual({ kind: 'not-slack' });
  });
});
