'use server';
// Session-wide actions of the dashboard shell: switching team and signing out.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { signOut } from '@/auth';
import { requireSession, TEAM_COOKIE } from '@/server/session';

const SECTIONS = ['/servers', '/workflows', '/runs'] as const;

const switchTeamForm = z.object({ teamId: z.string().min(1).max(64), returnTo: z.string().max(2000).default('/runs') });

export async function switchTeamAction(formData: FormData): Promise<void> {
  const parsed = switchTeamForm.safeParse({ teamId: formData.get('teamId'), returnTo: formData.get('returnTo') ?? undefined });
  if (!parsed.success) redirect('/runs');
  const session = await requireSession();
  // Only a team the user belongs to can be selected; anything else is ignored.
  if (session.teams.some((t) => t.id === parsed.data.teamId))
    (await cookies()).set(TEAM_COOKIE, parsed.data.teamId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
  // Detail pages belong to the old team: land on the section's list instead.
  redirect(SECTIONS.find((s) => parsed.data.returnTo === s || parsed.data.returnTo.startsWith(`${s}/`)) ?? '/runs');
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}
