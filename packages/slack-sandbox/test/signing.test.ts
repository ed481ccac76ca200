import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../src/signing.js';

const secret = 'sandbox-signing-secret';
const body = 'command=%2Flma&text=renewals+30';

describe('signSlackRequest', () => {
  it('produces headers that Bolt’s own verifier accepts', () => {
    const headers = signSlackRequest(secret, body);
    const valid = isValidSlackRequest({
      signingSecret: secret,
      body,
      headers: {
        'x-slack-signature': headers['X-Slack-Signature'],
        'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
      },
    });
    expect(valid).toBe(true);
  });

  it('is the v0 HMAC-SHA256 of v0:<timestamp>:<body>', () => {
    const headers = signSlackRequest(secret, body, 1_764_441_600);
    const expected = createHmac('sha256', secret).update(`v0:1764441600:${body}`).digest('hex');
    expect(headers).toEqual({ 'X-Slack-Signature': `v0=${expected}`, 'X-Slack-Request-Timestamp': '1764441600' });
  });

  it('is refused by Bolt with another secret, another body or a stale timestamp', () => {
    const verify = (headers: Record<string, string>, signingSecret = secret, signedBody = body): boolean =>
      isValidSlackRequest({
        signingSecret,
        body: signedBody,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'],
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
      });
    expect(verify(signSlackRequest(secret, body), 'another-secret')).toBe(false);
    expect(verify(signSlackRequest(secret, body), secret, `${body}&x=1`)).toBe(false);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect(verify(signSlackRequest(secret, body, tenMinutesAgo))).toBe(false);
  });
});
