import { describe, expect, it } from 'vitest';
import { oauthProviders, type WebConfig } from './config';

const base = { DATABASE_URL: 'postgresql://x' } as WebConfig;

describe('oauthProviders', () => {
  it('offers no provider when none is configured (the buttons stay hidden)', () => {
    expect(oauthProviders(base)).toEqual([]);
  });

  it('offers a provider only when both its id and secret are set', () => {
    expect(oauthProviders({ ...base, AUTH_GITHUB_ID: 'id' })).toEqual([]);
    expect(oauthProviders({ ...base, AUTH_GITHUB_ID: 'id', AUTH_GITHUB_SECRET: 's', AUTH_GOOGLE_SECRET: 's' }).map((p) => p.id)).toEqual([
      'github',
    ]);
    expect(
      oauthProviders({ ...base, AUTH_GITHUB_ID: 'a', AUTH_GITHUB_SECRET: 'b', AUTH_GOOGLE_ID: 'c', AUTH_GOOGLE_SECRET: 'd' }).map(
        (p) => p.id,
      ),
    ).toEqual(['github', 'google']);
  });
});
