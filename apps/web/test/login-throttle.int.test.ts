// Sign-in throttling: after N failures for an email, even the right password is refused until the window
// ends (state in Postgres, shared by every web process); a success clears the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, createTemporalGateway, type Services } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let services: Services;
const password = 'a-good-long-password';

beforeAll(async () => {
  h = await startApiHarness();
  services = createServices(
    { db: h.db, temporal: createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' }) },
    { loginThrottle: { maxFailures: 3, windowSeconds: 2 } },
  );
  await services.identity.signUp({ email: 'locked@example.test', password });
  await services.identity.signUp({ email: 'fine@example.test', password });
});
afterAll(async () => {
  await h?.stop();
});

describe('login throttling', () => {
  it('a success clears earlier failures', async () => {
    expect(await services.identity.verifyCredentials('fine@example.test', 'wrong-password-1')).toBeNull();
    expect(await services.identity.verifyCredentials('fine@example.test', 'wrong-password-2')).toBeNull();
    expect(await services.identity.verifyCredentials('fine@example.test', password)).toMatchObject({ email: 'fine@example.test' });
    expect(await services.identity.verifyCredentials('fine@example.test', 'wrong-password-3')).toBeNull();
    expect(await services.identity.isSignInLocked('fine@example.test')).toBe(false);
  });

  it('locks an email after repeated failures, refuses even the right password, then recovers', async () => {
    // On a slow machine the 2 s window may roll over mid-way: fail until locked (bounded).
    await waitFor(
      async () => {
        await services.identity.verifyCredentials('LOCKED@example.test', 'wrong-password');
        return services.identity.isSignInLocked('locked@example.test');
      },
      { timeoutMs: 20_000, intervalMs: 1, description: 'the email to be locked' },
    );
    expect(await services.identity.verifyCredentials('locked@example.test', password)).toBeNull();
    expect(await services.identity.isSignInLocked('fine@example.test')).toBe(false);
    const user = await waitFor(() => services.identity.verifyCredentials('locked@example.test', password), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the lock to expire',
    });
    expect(user.email).toBe('locked@example.test');
  });
});
