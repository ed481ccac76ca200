import { expect, test } from 'vitest';
import { addLogContext, countLmoCall, createLogger, withLogContext } from '../src/logger.js';

test('configured secrets and token shapes never reach a log line', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => lines.push(l), secrets: ['my-signing-secret-123'] });
  logger.addSecrets('00Dxx!AQ4AQFakeAccessToken', 'short');
  logger.info('secret my-signing-secret-123 token 00Dxx!AQ4AQFakeAccessToken');
  logger.warn(new Error('failed with xoxb-1234-5678-abcdef and xapp-1-A1-99'));
  logger.error({
    headers: { Authorization: 'Bearer abc.def.ghi' },
    body: 'refresh_token=r3fr3sh&client_secret=cl13nt',
  });
  logger.debug('short words like short stay');
  const all = lines.join('\n');
  for (const secret of [
    'my-signing-secret-123',
    '00Dxx!AQ4AQFakeAccessToken',
    'xoxb-1234',
    'xapp-1-A1',
    'abc.def.ghi',
    'r3fr3sh',
    'cl13nt',
  ]) {
    expect(all).not.toContain(secret);
  }
  expect(all).toContain('short words like short stay');
  expect(lines).toHaveLength(4);
});

test('levels below the configured one are not written', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (l) => lines.push(l) });
  logger.info('hidden');
  logger.debug('hidden');
  logger.error('shown');
  expect(lines).toEqual([expect.stringContaining('ERROR [lma-bot] shown')]);
});

test('LOG_FORMAT=json: one JSON object per line with time, level, msg and the request context; secrets redacted', async () => {
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', write: (l) => lines.push(l), secrets: ['my-signing-secret-123'] });
  logger.info('outside any request');
  await withLogContext({ requestId: 'Ev01', channel: 'C0GENERAL' }, async () => {
    addLogContext({ kind: 'trials' });
    countLmoCall();
    countLmoCall();
    logger.warn('failed with "my-signing-secret-123" and', new Error('xoxb-1234-5678-abcdef'));
  });
  const [outside, inside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(outside).toEqual({ time: expect.any(String), level: 'info', logger: 'lma-bot', msg: 'outside any request' });
  expect(inside).toMatchObject({
    level: 'warn',
    context: { requestId: 'Ev01', channel: 'C0GENERAL', kind: 'trials', lmoCalls: 2 },
  });
  expect(String(inside!.msg)).toContain('[redacted]');
  expect(lines.join('\n')).not.toMatch(/my-signing-secret-123|xoxb-1234/);
});
