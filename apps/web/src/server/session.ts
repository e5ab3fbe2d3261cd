// Who is asking and for which team. The selected team lives in a cookie; membership is checked on every
// request, falling back to the user's first team.
import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { can, type Action, type Role } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { auth } from '@/auth';
import { clientIp } from './client-ip';
import { services } from './services';

export const TEAM_COOKIE = 'manifold-team';

export interface TeamChoice {
  id: string;
  name: string;
  slug: string;
  role: Role;
  isPersonal: boolean;
}

export interface DashboardSession {
  userId: string;
  email: string;
  name: string | null;
  team: { id: string; name: string; role: Role };
  teams: TeamChoice[];
  acting: ActingContext;
}

/** The signed-in user with their current team, or null (no session, or a user without teams). */
export const readSession = cache(async (): Promise<DashboardSession | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  // A valid signature is not enough: the session must not have been signed out or revoked.
  if (!(await services().identity.isSessionActive(userId, (session as { sessionId?: string }).sessionId))) return null;
  const teams = await services().identity.listTeams(userId);
  const selectedId = (await cookies()).get(TEAM_COOKIE)?.value;
  const team = teams.find((t) => t.id === selectedId) ?? teams[0];
  if (!team) return null;
  const ip = clientIp(await headers());
  return {
    userId,
    email: session.user?.email ?? '',
    name: session.user?.name ?? null,
    team: { id: team.id, name: team.name, role: team.role },
    teams,
    acting: { teamId: team.id, actor: { type: 'user', id: userId }, ip, role: team.role },
  };
});

/** For pages and server actions: the session, or a redirect to /sign-in. */
export async function requireSession(): Promise<DashboardSession> {
  const session = await readSession();
  if (!session) redirect('/sign-in');
  return session;
}

/** For pages: may the current user do `action` in the current team? (The services check again.) */
export const sessionCan = (session: DashboardSession, action: Action): boolean => can(session.team.role, action);

/** For pages only a role with `action` may open: others get the not-found page (no hint it exists). */
export function forbiddenUnless(session: DashboardSession, action: Action): void {
  if (!sessionCan(session, action)) notFound();
}
