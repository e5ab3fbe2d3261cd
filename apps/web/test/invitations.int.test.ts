// Invitations through the services: single-use links, revocation, role limits, and the logged mail when
// SMTP is not configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithTeam } from '@manifold/db';
import { createMailer, createServices, createTemporalGateway, type ActingContext, type Services } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let services: Services;
let owner: ActingContext;
const mails: string[] = [];

beforeAll(async () => {
  h = await startApiHarness();
  services = createServices(
    { db: h.db, temporal: createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' }) },
    { mailer: createMailer({ log: (line) => mails.push(line) }) },
  );
  owner = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' };
});
afterAll(async () => {
  await h?.stop();
});

const tokenOf = (link: string) => link.split('/invite/')[1]!;

describe('invitations', () => {
  it('invites by email, logs the mail with the link, and the link adds the membership once', async () => {
    const invitation = await services.invitations.invite(owner, { email: 'New.Person@Example.test', role: 'member' }, 'http://app.test/');
    expect(invitation.delivery).toBe('log');
    expect(invitation.link).toMatch(/^http:\/\/app\.test\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(mails.at(-1)).toContain(invitation.link);
    expect(mails.at(-1)).toContain('new.person@example.test');
    expect((await services.invitations.listPending(owner)).map((i) => i.email)).toContain('new.person@example.test');

    const { userId } = await createUserWithTeam(h.db, { email: 'new.person@example.test', passwordHash: 'unused' });
    expect(await services.invitations.preview(tokenOf(invitation.link))).toMatchObject({ teamName: 'alpha', role: 'member' });
    await services.invitations.accept(userId, tokenOf(invitation.link));
    const members = await services.teams.members(owner);
    expect(members.find((m) => m.userId === userId)?.role).toBe('member');

    // Single use: a second acceptance (by anyone) fails, and the link previews as invalid.
    const other = await createUserWithTeam(h.db, { email: 'other@example.test', passwordHash: 'unused' });
    await expect(services.invitations.accept(other.userId, tokenOf(invitation.link))).rejects.toMatchObject({ code: 'not_found' });
    expect(await services.invitations.preview(tokenOf(invitation.link))).toBeNull();
    expect(await services.invitations.listPending(owner)).toEqual([]);
  });

  it('a revoked invitation cannot be accepted; an unknown or malformed token is not found', async () => {
    const invitation = await services.invitations.invite(owner, { email: 'late@example.test', role: 'viewer' }, 'http://app.test');
    await services.invitations.revoke(owner, invitation.id);
    const { userId } = await createUserWithTeam(h.db, { email: 'late@example.test', passwordHash: 'unused' });
    await expect(services.invitations.accept(userId, tokenOf(invitation.link))).rejects.toMatchObject({ code: 'not_found' });
    await expect(services.invitations.accept(userId, 'x'.repeat(43))).rejects.toMatchObject({ code: 'not_found' });
    await expect(services.invitations.accept(userId, '../../etc')).rejects.toMatchObject({ code: 'not_found' });
  });

  it("another team's admin cannot revoke this team's invitation (404), and members cannot invite (403)", async () => {
    const invitation = await services.invitations.invite(owner, { email: 'keep@example.test', role: 'viewer' }, 'http://app.test');
    const bravo: ActingContext = { teamId: h.b.teamId, actor: { type: 'user', id: h.b.userId }, role: 'owner' };
    await expect(services.invitations.revoke(bravo, invitation.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await services.invitations.listPending(owner)).map((i) => i.id)).toContain(invitation.id);
    const member: ActingContext = { ...owner, role: 'member' };
    await expect(services.invitations.invite(member, { email: 'x@example.test', role: 'viewer' }, 'http://app.test')).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
    const admin: ActingContext = { ...owner, role: 'admin' };
    await expect(services.invitations.invite(admin, { email: 'x@example.test', role: 'owner' }, 'http://app.test')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('provider sign-in', () => {
  it('creates a user with a personal team on first sign-in, finds it again, and never links an existing email', async () => {
    const first = await services.identity.signInWithProvider({
      provider: 'github',
      providerAccountId: '42',
      email: 'Octo@Example.test',
      name: 'Octo',
    });
    expect(first).toMatchObject({ isNew: true });
    const again = await services.identity.signInWithProvider({ provider: 'github', providerAccountId: '42', email: 'octo@example.test' });
    expect(again).toEqual({ userId: first!.userId, isNew: false });
    expect((await services.identity.listTeams(first!.userId)).map((t) => t.role)).toEqual(['owner']);
    // alpha@example.test signed up with a password: a Google account with that email is refused, not linked.
    expect(
      await services.identity.signInWithProvider({ provider: 'google', providerAccountId: 'g-1', email: 'alpha@example.test' }),
    ).toBeNull();
    expect(await services.identity.signInWithProvider({ provider: 'google', providerAccountId: 'g-2', email: null })).toBeNull();
  });
});
