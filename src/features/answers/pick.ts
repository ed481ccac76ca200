/**
 * A pick from a list of candidate customers: answers for that customer, in place. On a list everyone sees (a thread
 * answer) the answer is for everyone, and the thread learns who "they" are now, so "and their seats?" after the pick
 * refers to the picked customer.
 */
import type { BlockButtonAction } from '@slack/bolt';
import type { ActionHandler } from '../../app/runtime.js';
import type { CustomerFocus } from '../../lma/service.js';
import { MAX_TEXT_LENGTH } from '../../parse/index.js';
import { outOfDateView } from '../../slack/messages.js';
import type { ThreadContexts } from '../../store/store.js';
import type { Answerer } from './answerer.js';
import { ACTION_PICK_CUSTOMER } from './views.js';

export function pickButton(answerer: Answerer, threadContext: ThreadContexts, clock: () => Date): ActionHandler {
  return {
    id: { prefix: `${ACTION_PICK_CUSTOMER}_` },
    async handle({ body, action, respond, tell }) {
      const pick = pickOf(action.value);
      if (pick === undefined) return tell(outOfDateView());
      // Remembered first: a follow-up typed as soon as the answer shows must already refer to the pick.
      const key = contextKey(body);
      if (key !== undefined) await threadContext.remember(key.channel, key.threadKey, pick.name, clock());
      // A list everyone sees (a thread answer) is answered for everyone, compact; an ephemeral one for the picker.
      const shared = body.container.is_ephemeral === false;
      const { view } = await answerer.aboutCustomer(
        pick.name,
        pick.focus,
        shared ? { compact: true } : { shareCommand: `status ${pick.name}` },
      );
      await respond({ response_type: shared ? 'in_channel' : 'ephemeral', replace_original: true, ...view });
    },
  };
}

const FOCUSES: ReadonlySet<unknown> = new Set<CustomerFocus>(['status', 'seats', 'version', 'renewal', 'conversion']);

/** The pick this bot wrote into the button, checked as typed text is: a name no longer than a typed one, a known focus. */
function pickOf(value: string | undefined): { name: string; focus: CustomerFocus } | undefined {
  try {
    const pick = JSON.parse(value ?? '') as { name?: unknown; focus?: unknown } | null;
    const name = typeof pick?.name === 'string' ? pick.name.trim() : '';
    if (name === '' || name.length > MAX_TEXT_LENGTH || !FOCUSES.has(pick?.focus)) return undefined;
    return { name, focus: pick?.focus as CustomerFocus };
  } catch {
    return undefined;
  }
}

/** Where a pick's context lives: the thread of a list everyone sees, or a DM's main conversation. */
function contextKey(body: BlockButtonAction): { channel: string; threadKey: string } | undefined {
  const channel = body.channel?.id;
  if (channel === undefined || body.container.is_ephemeral !== false) return undefined;
  const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  if (threadTs !== undefined) return { channel, threadKey: threadTs };
  return channel.startsWith('D') ? { channel, threadKey: '' } : undefined;
}
