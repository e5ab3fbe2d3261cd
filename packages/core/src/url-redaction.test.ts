import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsInText } from './url-redaction';

describe('URL redaction', () => {
  it('drops query values and user info, keeps host, port and path', () => {
    expect(redactUrl('https://user:pw@api.example.com:8443/mcp?api_key=tok_123&x=1#frag')).toBe(
      'https://redacted@api.example.com:8443/mcp?api_key=redacted&x=redacted',
    );
    expect(redactUrl('postgresql://postgres:hunter2@127.0.0.1:5432/manifold')).toBe('postgresql://redacted@127.0.0.1:5432/manifold');
  });

  it('redacts every URL inside a message and leaves other text alone', () => {
    const text = 'could not connect to http://10.0.0.1/mcp?token=abc (and https://x.test/?k=v): refused';
    expect(redactUrlsInText(text)).toBe('could not connect to http://10.0.0.1/mcp?token=redacted (and https://x.test/?k=redacted): refused');
    expect(redactUrlsInText('no url here')).toBe('no url here');
  });
});
