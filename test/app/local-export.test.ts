/**
 * Tried as a new user would: `LMO_DATA=<an export the Salesforce CLI wrote> npm start`, then a question on the
 * sandbox page. The real process (src/index.ts through tsx, as `npm start` runs it), the page's own API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { blockText } from '../support/harness.js';

const ENTRY = 'src/index.ts';
/** One `sf data query --json` of licenses with their parents' names, and one of their history. */
const QUERY_EXPORT = 'test/fixtures/exports/query';

interface PageMessage {
  isBot: boolean;
  ephemeral: boolean;
  text: string;
  blocks?: unknown[];
}

describe('npm start on an export written by the Salesforce CLI', () => {
  let child: Child | undefined;
  let pageUrl = '';

  beforeAll(async () => {
    child = startChild(ENTRY, {
      LMO_DATA: QUERY_EXPORT,
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lma-export-start-')),
      LMA_TIMEZONE: 'UTC',
    });
    const line = await child.waitForLine(/open http:\/\/localhost:\d+/, 60_000);
    pageUrl = /open (http:\/\/localhost:\d+)/.exec(line)![1].replace('localhost', '127.0.0.1');
  }, 90_000);
  afterAll(async () => stopChild(child));

  const messages = async () =>
    ((await (await fetch(`${pageUrl}/api/channels/C0GENERAL/messages`)).json()) as { messages: PageMessage[] })
      .messages;

  it('answers /lma status from the exported licenses, on the sandbox page', async () => {
    const sent = await fetch(`${pageUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: 'C0GENERAL', text: '/lma status Globex' }),
    });
    expect(await sent.json()).toEqual({ ok: true, kind: 'command' });
    let answer: PageMessage | undefined;
    for (let i = 0; i < 400 && !answer; i += 1) {
      answer = (await messages()).find((m) => m.isBot && m.ephemeral && /Globex/.test(blockText(m.blocks)));
      if (!answer) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answer, `no answer; the bot printed:\n${child?.lines.slice(-15).join('\n')}`).toBeDefined();
    const text = blockText(answer!.blocks);
    for (const fact of ['Invoicer', 'Scheduler Pro', 'L-00003', 'L-00011']) expect(text).toContain(fact);
    expect(text).not.toMatch(/went wrong|unreachable/i);
  });

  it('printed what it loaded at start-up, one line per object', () => {
    expect(child!.lines.join('\n')).toContain('sfLma__License__c: 11 records; custom fields inferred:');
  });
});
