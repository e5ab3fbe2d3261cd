// Revocable sessions through the real Auth.js handlers (auth.ts): a signed-in cookie names a session row; a
// copy of the cookie kept before "Sign out" no longer counts, a password change ends the other sessions, and
// team removal and role changes are read afresh on the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { decode } from '@auth/core/jwt';
import { startApiHarness, type ApiHarness } from './api-harness';

const AUTH_SECRET = 'sessions-test-secret-0123456789abcdef';
const email = 'session-owner@example.test';
const password = 'plum-velvet-orbit-42';
let h: ApiHarness;
let handlers: { GET: (r: NextRequest) => Promise<Response>; POST: (r: NextRequest) => Promise<Response> };

beforeAll(async () => {
  h = await startApiHarness({ AUTH_SECRET, AUTH_TRUST_HOST: 'true' });
  handlers = (await import('../src/auth')).handlers as never;
  await h.services.identity.signUp({ email, password });
});
afterAll(async () => {
  await h?.stop();
});

/** A cookie jar of name=value pairs, fed by Set-Cookie headers. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const base = 'http://localhost:3000/api/auth';

async function csrf(jar: Jar): Promise<string> {
  const response = await handlers.GET(new NextRequest(`${base}/csrf`, { headers: { cookie: jar.header } }));
  jar.take(response);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

async function post(jar: Jar, path: string, fields: Record<string, string>): Promise<Response> {
  const response = await handlers.POST(
    new NextRequest(`${base}${path}`, {
      method: 'POST',
      headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
  jar.take(response);
  return response;
}

async function signIn(): Promise<{ jar: Jar; token: string; userId: string; sessionId: string }> {
  const jar = new Jar();
  await post(jar, '/callback/credentials', { csrfToken: await csrf(jar), email, password });
  const token = jar.cookies.get('authjs.session-token');
  expect(token, 'a session cookie after sign-in').toBeTruthy();
  const payload = (await decode({ token: token!, secret: AUTH_SECRET, salt: 'authjs.session-token' }))!;
  return { jar, token: token!, userId: payload.sub!, sessionId: payload.sid as string };
}

describe('revocable sessions', () => {
  it('sign-in opens a session row that the session exposes to server code', async () => {
    const { jar, userId, sessionId } = await signIn();
    expect(sessionId).toMatch(/^[\w-]{40,}$/);
    expect(await h.services.identity.isSessionActive(userId, sessionId)).toBe(true);
    const session = (await (await handlers.GET(new NextRequest(`${base}/session`, { headers: { cookie: jar.header } }))).json()) as {
      sessionId?: string;
      user?: { id?: string };
    };
    expect(session).toMatchObject({ sessionId, user: { id: userId } });
  });

  it('a cookie saved before sign-out no longer counts afterwards', async () => {
    const { jar, token, userId, sessionId } = await signIn();
    const saved = token;
    await post(jar, '/signout', { csrfToken: await csrf(jar) });
    expect(await h.services.identity.isSessionActive(userId, sessionId)).toBe(false);
    // The saved copy still decodes (it is a signed JWT) — and is refused all the same.
    const payload = (await decode({ token: saved, secret: AUTH_SECRET, salt: 'authjs.session-token' }))!;
    expect(await h.services.identity.isSessionActive(payload.sub!, payload.sid as string)).toBe(false);
  });

  it('a NUL in the credentials is a failed sign-in, not a database error', async () => {
    const jar = new Jar();
    const response = await post(jar, '/callback/credentials', { csrfToken: await csrf(jar), email: `${email}\u0000`, password });
    expect(response.headers.get('location')).toMatch(/error=CredentialsSignin/);
    expect(jar.cookies.has('authjs.session-token')).toBe(false);
  });

  it('a JWT without a session row (or of another user) is refused', async () => {
    const { userId, sessionId } = await signIn();
    expect(await h.services.identity.isSessionActive(userId, undefined)).toBe(false);
    expect(await h.services.identity.isSessionActive(h.a.userId, sessionId)).toBe(false);
  });

  it('a password change ends the other sessions, keeps the current one, and refuses a weak new password', async () => {
    const current = await signIn();
    const other = await signIn();
    await expect(
      h.services.identity.changePassword(current.userId, { current: password, next: 'aaaaaaaaaa' }, current.sessionId),
    ).rejects.toMatchObject({ code: 'validation_failed', options: { fieldErrors: [{ path: 'next' }] } });
    await expect(
      h.services.identity.changePassword(current.userId, { current: 'not-my-password', next: 'granite-lantern-fox-77' }),
    ).rejects.toMatchObject({ code: 'validation_failed', options: { fieldErrors: [{ path: 'current' }] } });
    await h.services.identity.changePassword(current.userId, { current: password, next: 'granite-lantern-fox-77' }, current.sessionId);
    expect(await h.services.identity.isSessionActive(other.userId, other.sessionId)).toBe(false);
    expect(await h.services.identity.isSessionActive(current.userId, current.sessionId)).toBe(true);
    expect(await h.services.identity.verifyCredentials(email, 'granite-lantern-fox-77')).toMatchObject({ email });
    await h.services.identity.changePassword(current.userId, { current: 'granite-lantern-fox-77', next: password });
  });

  it('role changes and removal from a team are read afresh on the next request', async () => {
    const owner = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' } as const;
    const { userId } = await signIn();
    const { link } = await h.services.invitations.invite(owner, { email, role: 'viewer' }, 'http://localhost:3000');
    await h.services.invitations.accept(userId, new URL(link).pathname.split('/').pop()!);
    const roleIn = async () => (await h.services.identity.listTeams(userId)).find((t) => t.id === h.a.teamId)?.role;
    expect(await roleIn()).toBe('viewer');
    await h.services.teams.changeRole(owner, userId, 'admin');
    expect(await roleIn()).toBe('admin');
    await h.services.teams.remove(owner, userId);
    expect(await roleIn()).toBeUndefined();
  });
});
