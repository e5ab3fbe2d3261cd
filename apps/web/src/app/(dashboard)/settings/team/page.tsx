import type { Metadata } from 'next';
import { ROLES } from '@manifold/core';
import { ActionForm } from '@/components/action-form';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import {
  changeRoleAction,
  createTeamAction,
  deleteTeamAction,
  inviteAction,
  leaveTeamAction,
  removeMemberAction,
  renameTeamAction,
  revokeInvitationAction,
} from '../actions';

export const metadata: Metadata = { title: 'Team · Manifold' };

const selectClasses = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm';

export default async function TeamSettingsPage() {
  const session = await requireSession();
  const { acting, team } = session;
  const canManage = sessionCan(session, 'members:write');
  const [members, invitations] = await Promise.all([
    services().teams.members(acting),
    canManage ? services().invitations.listPending(acting) : Promise.resolve([]),
  ]);

  return (
    <>
      <PageHeader title="Team" description={`${team.name} · your role: ${team.role}`} />
      <div className="grid gap-6">
        {sessionCan(session, 'team:update') && (
          <Card>
            <CardHeader>
              <CardTitle>Name</CardTitle>
            </CardHeader>
            <CardContent>
              <ActionForm action={renameTeamAction} testId="rename-team-form" className="flex gap-2">
                <Input name="name" defaultValue={team.name} className="max-w-sm" data-testid="team-name-input" aria-label="Team name" />
                <Button type="submit" variant="secondary" data-testid="rename-team-submit">
                  Rename
                </Button>
              </ActionForm>
            </CardContent>
          </Card>
        )}

        <Card>
          <CardHeader>
            <div>
              <CardTitle>Members</CardTitle>
              <CardDescription>{members.length === 1 ? '1 member' : `${members.length} members`}</CardDescription>
            </div>
          </CardHeader>
          <Table data-testid="members-table">
            <TableHead>
              <tr>
                <TableHeaderCell>Email</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Joined</TableHeaderCell>
                {canManage && <TableHeaderCell />}
              </tr>
            </TableHead>
            <TableBody>
              {members.map((m) => (
                <TableRow key={m.userId} data-testid={`member-${m.email}`}>
                  <TableCell>{m.email}</TableCell>
                  <TableCell>
                    {canManage && m.userId !== session.userId ? (
                      <ActionForm action={changeRoleAction.bind(null, m.userId)} testId={`role-form-${m.email}`} className="flex gap-2">
                        <select name="role" defaultValue={m.role} className={selectClasses} aria-label={`Role of ${m.email}`}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                        <Button type="submit" size="sm" variant="secondary">
                          Save
                        </Button>
                      </ActionForm>
                    ) : (
                      <Badge data-testid={`member-role-${m.email}`}>{m.role}</Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    <LocalTime iso={m.joinedAt.toISOString()} />
                  </TableCell>
                  {canManage && (
                    <TableCell className="text-right">
                      {m.userId !== session.userId && (
                        <ActionForm
                          action={removeMemberAction.bind(null, m.userId)}
                          testId={`remove-member-${m.email}`}
                          confirm={`Remove ${m.email}?`}
                        >
                          <Button type="submit" size="sm" variant="ghost">
                            Remove
                          </Button>
                        </ActionForm>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>

        {canManage && (
          <Card>
            <CardHeader>
              <div>
                <CardTitle>Invite</CardTitle>
                <CardDescription>
                  The link works once and expires in 7 days. It is emailed when SMTP is configured; copy it either way.
                </CardDescription>
              </div>
            </CardHeader>
            <CardContent className="space-y-4">
              <ActionForm action={inviteAction} testId="invite-form" className="flex flex-wrap gap-2">
                <Input
                  name="email"
                  type="email"
                  placeholder="name@example.com"
                  className="max-w-xs"
                  data-testid="invite-email"
                  aria-label="Email"
                  required
                />
                <select name="role" defaultValue="member" className={selectClasses} data-testid="invite-role" aria-label="Role">
                  {ROLES.filter((r) => team.role === 'owner' || r !== 'owner').map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                <Button type="submit" data-testid="invite-submit">
                  Create invitation
                </Button>
              </ActionForm>
              {invitations.length > 0 && (
                <Table data-testid="invitations-table">
                  <TableHead>
                    <tr>
                      <TableHeaderCell>Invited</TableHeaderCell>
                      <TableHeaderCell>Role</TableHeaderCell>
                      <TableHeaderCell>Expires</TableHeaderCell>
                      <TableHeaderCell />
                    </tr>
                  </TableHead>
                  <TableBody>
                    {invitations.map((i) => (
                      <TableRow key={i.id} data-testid={`invitation-${i.email}`}>
                        <TableCell>{i.email}</TableCell>
                        <TableCell>{i.role}</TableCell>
                        <TableCell>
                          <LocalTime iso={i.expiresAt.toISOString()} />
                        </TableCell>
                        <TableCell className="text-right">
                          <ActionForm action={revokeInvitationAction.bind(null, i.id)} testId={`revoke-invitation-${i.email}`}>
                            <Button type="submit" size="sm" variant="ghost">
                              Revoke
                            </Button>
                          </ActionForm>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
        )}

        <Card>
          <CardHeader>
            <CardTitle>Your teams</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-wrap items-start gap-6">
            <ActionForm action={createTeamAction} testId="create-team-form" className="flex gap-2">
              <Input
                name="name"
                placeholder="New team name"
                className="max-w-xs"
                data-testid="create-team-name"
                aria-label="New team name"
              />
              <Button type="submit" variant="secondary" data-testid="create-team-submit">
                Create team
              </Button>
            </ActionForm>
            <ActionForm action={leaveTeamAction} testId="leave-team-form" confirm={`Leave ${team.name}?`}>
              <Button type="submit" variant="secondary" data-testid="leave-team-submit">
                Leave this team
              </Button>
            </ActionForm>
          </CardContent>
        </Card>

        {sessionCan(session, 'team:delete') && (
          <Card className="border-red-200">
            <CardHeader>
              <div>
                <CardTitle>Delete team</CardTitle>
                <CardDescription>
                  Deletes the team with all its servers, workflows, runs, keys and audit log. Type the team name to confirm.
                </CardDescription>
              </div>
            </CardHeader>
            <CardContent>
              <ActionForm action={deleteTeamAction} testId="delete-team-form" className="flex gap-2">
                <Input
                  name="confirm"
                  placeholder={team.name}
                  className="max-w-xs"
                  data-testid="delete-team-confirm"
                  aria-label="Team name to confirm"
                />
                <Button type="submit" variant="danger" data-testid="delete-team-submit">
                  Delete team
                </Button>
              </ActionForm>
            </CardContent>
          </Card>
        )}
      </div>
    </>
  );
}
