'use server';
// Team settings: rename, create, leave, delete; members and invitations; API keys. Every action re-checks
// the role in the service (403 even for a forged request); pages only hide what a role cannot do.
import { revalidatePath } from 'next/cache';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ActingContext } from '@manifold/services';
import type { FormState } from '@/components/form-state';
import { formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession, TEAM_COOKIE } from '@/server/session';

/** The common shape of a settings change: as the signed-in user; on success refresh `path` and say `message`. */
async function change(
  message: string,
  path: string,
  run: (acting: ActingContext) => Promise<unknown>,
  type?: 'layout',
): Promise<FormState> {
  const { acting } = await requireSession();
  try {
    await run(acting);
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath(path, type);
  return { status: 'success', message };
}

async function selectTeam(teamId: string) {
  (await cookies()).set(TEAM_COOKIE, teamId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 365 });
}

async function baseUrl(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
  return `${proto}://${host}`;
}

export async function renameTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return change('Team renamed.', '/', (acting) => services().teams.rename(acting, formValues(formData, ['name'] as const).name), 'layout');
}

export async function createTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { acting } = await requireSession();
  let teamId: string;
  try {
    ({ teamId } = await services().teams.create(acting, formValues(formData, ['name'] as const).name));
  } catch (error) {
    return formStateFromError(error);
  }
  await selectTeam(teamId);
  redirect('/settings/team');
}

export async function leaveTeamAction(_previous: FormState): Promise<FormState> {
  const { acting } = await requireSession();
  try {
    await services().teams.leave(acting);
  } catch (error) {
    return formStateFromError(error);
  }
  (await cookies()).delete(TEAM_COOKIE);
  redirect('/runs');
}

export async function deleteTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { acting } = await requireSession();
  try {
    await services().teams.delete(acting, formValues(formData, ['confirm'] as const).confirm);
  } catch (error) {
    return formStateFromError(error);
  }
  (await cookies()).delete(TEAM_COOKIE);
  redirect('/runs');
}

export async function changeRoleAction(userId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return change('Role saved.', '/settings/team', (acting) =>
    services().teams.changeRole(acting, userId, formValues(formData, ['role'] as const).role),
  );
}

export async function removeMemberAction(userId: string, _previous: FormState): Promise<FormState> {
  return change('Member removed.', '/settings/team', (acting) => services().teams.remove(acting, userId));
}

export async function inviteAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { acting } = await requireSession();
  const values = formValues(formData, ['email', 'role'] as const);
  try {
    const invitation = await services().invitations.invite(acting, values, await baseUrl());
    revalidatePath('/settings/team');
    return { status: 'success', message: invitation.link, values: { delivery: invitation.delivery } };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

export async function revokeInvitationAction(id: string, _previous: FormState): Promise<FormState> {
  return change('Invitation revoked.', '/settings/team', (acting) => services().invitations.revoke(acting, id));
}

export async function createApiKeyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { acting } = await requireSession();
  const values = formValues(formData, ['name', 'expiresAt'] as const);
  const scopes = formData.getAll('scopes').filter((s): s is string => typeof s === 'string');
  try {
    const created = await services().apiKeys.create(acting, {
      name: values.name,
      scopes,
      ...(values.expiresAt ? { expiresAt: new Date(`${values.expiresAt}T23:59:59Z`).toISOString() } : {}),
    });
    revalidatePath('/settings/api-keys');
    return { status: 'success', message: created.key };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

export async function revokeApiKeyAction(id: string, _previous: FormState): Promise<FormState> {
  return change('Key revoked.', '/settings/api-keys', (acting) => services().apiKeys.revoke(acting, id));
}

export async function acceptInvitationAction(token: string, _previous: FormState): Promise<FormState> {
  const session = await requireSession();
  let teamId: string;
  try {
    ({ teamId } = await services().invitations.accept(session.userId, token, session.acting.ip));
  } catch (error) {
    return formStateFromError(error);
  }
  await selectTeam(teamId);
  redirect('/runs');
}
