import { describe, expect, it } from 'vitest';
import { createInstallationBody, installationAuthSchema } from './api';
import { NEVER_RETRIED } from './tool-errors';
import { oauthSecretNames, secretReferences } from './secret-references';

describe('installation OAuth settings', () => {
  const base = { type: 'oauth2', clientId: 'manifold', clientSecret: 'CRM_CLIENT_SECRET' } as const;

  it('accepts both grants, with secret names only', () => {
    expect(installationAuthSchema.safeParse({ ...base, grant: 'client_credentials' }).success).toBe(true);
    expect(installationAuthSchema.safeParse({ type: 'oauth2', grant: 'authorization_code', clientId: 'web' }).success).toBe(true);
  });

  it('refuses a client-credentials grant without client id or secret, and secret values in place of names', () => {
    const paths = (value: unknown) => installationAuthSchema.safeParse(value).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ type: 'oauth2', grant: 'client_credentials' })).toEqual(['clientId', 'clientSecret']);
    expect(paths({ ...base, grant: 'client_credentials', clientSecret: 's3cr3t-value with spaces!' })).toEqual(['clientSecret']);
    expect(paths({ ...base, grant: 'authorization_code', refreshTokenSecret: 'not a name' })).toEqual(['refreshTokenSecret']);
    expect(paths({ ...base, grant: 'client_credentials', accessToken: 'x' })).toEqual(['']); // strict: no token fields
  });

  it('is part of an installation config; its secrets count as used but are never substituted into headers or env', () => {
    const body = createInstallationBody.parse({
      server: 'crm',
      name: 'crm',
      config: { auth: { ...base, grant: 'authorization_code', refreshTokenSecret: 'CRM_REFRESH' } },
    });
    expect(oauthSecretNames(body.config)).toEqual(['CRM_CLIENT_SECRET', 'CRM_REFRESH']);
    expect(secretReferences(body.config)).toEqual([]);
  });

  it('authorization and configuration failures are never retried', () => {
    expect(NEVER_RETRIED).toEqual(expect.arrayContaining(['auth_error', 'config_error']));
  });
});
