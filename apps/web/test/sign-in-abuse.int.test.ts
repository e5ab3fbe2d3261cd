// Sign-in abuse, as the security test tried it: repeated failures (per client and account, with backoff
// and no lockout a stranger can cause), password spraying across accounts, weak passwords, sign-up
// answers that told whether an email was registered, and a forged X-Forwarded-For recorded as the audit IP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditLog } from '@manifold/db';
import { createServices, createTemporalGateway, type Services } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let services: Services;
const mails: Array<{ to: string; subject: string; text: string }> = [];
const password = 'quartz-meadow-ember-19';

beforeAll(async () => {
  h = await startApiHarness({ TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8' });
  services = createServices(
    { db: h.db, temporal: createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' }) },
    {
      loginThrottle: {
        windowSeconds: 300,
        freeFailures: 3,
        freeFailuresPerClient: 6,
        freeFailuresPerAccount: 8,
        maxDelaySeconds: 300,
        maxAccountDelaySeconds: 2,
      },
      mailer: {
        transport: 'log',
        send: async (message) => {
          mails.push(message);
        },
      },
    },
  );
  for (const name of ['victim', 'owner', 'spray-target', 'existing'])
    await services.identity.signUp({ email: `${name}@example.test`, password });
});
afterAll(async () => {
  await h?.stop();
});

describe('sign-in throttling', () => {
  it('backs off one client on one account (even the right password waits), while other clients still sign in', async () => {
    for (let i = 0; i < 3; i++)
      expect(await services.identity.verifyCredentials('victim@example.test', `wrong-${i}`, '198.51.100.1')).toBeNull();
    const wait = await services.identity.signInRetryAfter('VICTIM@example.test', '198.51.100.1');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2);
    expect(await services.identity.verifyCredentials('victim@example.test', password, '198.51.100.1')).toBeNull();
    // The owner, elsewhere, is not locked out by the stranger's failures.
    expect(await services.identity.verifyCredentials('victim@example.test', password, '203.0.113.9')).toMatchObject({
      email: 'victim@example.test',
    });
    // And the throttled client gets in once its backoff has passed.
    await waitFor(() => services.identity.verifyCredentials('victim@example.test', password, '198.51.100.1'), {
      timeoutMs: 20_000,
      intervalMs: 250,
      description: 'the backoff to pass',
    });
  });

  it('slows a client that sprays passwords across many accounts, on every account', async () => {
    for (let i = 0; i < 6; i++) await services.identity.verifyCredentials(`nobody-${i}@example.test`, 'Password1!', '198.51.100.2');
    expect(await services.identity.signInRetryAfter('spray-target@example.test', '198.51.100.2')).toBeGreaterThan(0);
    expect(await services.identity.verifyCredentials('spray-target@example.test', password, '198.51.100.2')).toBeNull();
    expect(await services.identity.verifyCredentials('spray-target@example.test', password, '203.0.113.10')).toMatchObject({
      email: 'spray-target@example.test',
    });
  });

  it('failures from many clients against one account cost its owner seconds at most, never a lockout', async () => {
    for (let i = 0; i < 12; i++) await services.identity.verifyCredentials('owner@example.test', 'guess', `198.51.100.${100 + i}`);
    const wait = await services.identity.signInRetryAfter('owner@example.test', '203.0.113.11');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2);
    await waitFor(() => services.identity.verifyCredentials('owner@example.test', password, '203.0.113.11'), {
      timeoutMs: 20_000,
      intervalMs: 250,
      description: 'the owner to sign in',
    });
  });
});

describe('sign-up', () => {
  it.each(['aaaaaaaaaa', 'password123', '1234567890', 'qwertyuiop', 'strong@example.test'])(
    'refuses the weak password %j (400, field password)',
    async (weak) => {
      await expect(services.identity.signUp({ email: 'strong@example.test', password: weak })).rejects.toMatchObject({
        code: 'validation_failed',
        options: { fieldErrors: [{ path: 'password', message: expect.any(String) }] },
      });
    },
  );

  it('answers a registered email (any letter case) like a new one, and mails its owner a notice instead', async () => {
    const answer = await services.identity.signUp(
      { email: 'EXISTING@Example.test', password: 'another-fine-pass-88' },
      { ip: '203.0.113.5' },
    );
    expect(answer).toEqual({ status: 'existing' });
    await waitFor(() => mails.find((m) => m.to === 'existing@example.test'), { timeoutMs: 5_000, description: 'the notice' });
    // Nothing changed for the owner: the old password still works, the new one does not.
    expect(await services.identity.verifyCredentials('existing@example.test', password, '203.0.113.6')).not.toBeNull();
    expect(await services.identity.verifyCredentials('existing@example.test', 'another-fine-pass-88', '203.0.113.6')).toBeNull();
    // A new address is created, without any mail.
    expect(await services.identity.signUp({ email: 'fresh@example.test', password })).toMatchObject({ status: 'created' });
    expect(mails.some((m) => m.to === 'fresh@example.test')).toBe(false);
  });
});

describe('client address', () => {
  const createKeyFrom = async (forwardedFor: string) => {
    const admin = await h.key(h.b, ['api_keys:write', 'runs:read']);
    const name = `ip-${Math.random().toString(36).slice(2)}`;
    const response = await h.call('/api/v1/api-keys', 'POST', {
      key: admin.key,
      body: { name, scopes: ['runs:read'] },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    expect(response.status).toBe(201);
    const id = ((await response.json()) as { id: string }).id;
    const { items } = await listAuditLog(h.db, h.b.teamId, { action: 'api_key.created', limit: 200 });
    return items.find((e) => e.targetId === id)!.ip;
  };

  it('never records a forged, non-IP X-Forwarded-For', async () => {
    expect(await createKeyFrom('<script>alert(1)</script>')).toBeNull();
    expect(await createKeyFrom('203.0.113.7, <script>')).toBeNull();
  });

  it('believes forwarded entries only behind TRUSTED_PROXIES', async () => {
    expect(await createKeyFrom('203.0.113.7, 10.1.2.3')).toBe('203.0.113.7'); // via a trusted proxy
    expect(await createKeyFrom('192.0.2.66, 203.0.113.8')).toBe('203.0.113.8'); // the left entry was the client's own claim
    expect(await createKeyFrom('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });
});
