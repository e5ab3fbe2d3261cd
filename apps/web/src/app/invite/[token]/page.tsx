// Accepting a team invitation: signed-in users accept with one click; others sign in or up first and come
// back here.
import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/action-form';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { services } from '@/server/services';
import { readSession } from '@/server/session';
import { acceptInvitationAction } from '../../(dashboard)/settings/actions';

export const metadata: Metadata = { title: 'Invitation · Manifold' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, session] = await Promise.all([services().invitations.preview(token), readSession()]);
  const back = `/invite/${encodeURIComponent(token)}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-md items-center px-4">
      <Card className="w-full">
        <CardHeader>
          <CardTitle>{invitation ? `Join ${invitation.teamName}` : 'Invitation not valid'}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4 text-sm text-zinc-600">
          {!invitation ? (
            <p data-testid="invite-invalid">This link was used, revoked or has expired. Ask a team admin for a new one.</p>
          ) : session ? (
            <>
              <p>
                You are invited as <strong data-testid="invite-role">{invitation.role}</strong>. Signed in as {session.email}.
              </p>
              <ActionForm action={acceptInvitationAction.bind(null, token)} testId="accept-invite-form">
                <Button type="submit" data-testid="accept-invite">
                  Accept and join
                </Button>
              </ActionForm>
            </>
          ) : (
            <>
              <p>You are invited as {invitation.role}. Sign in or create an account to accept.</p>
              <div className="flex gap-2">
                <Link
                  href={`/sign-in?${new URLSearchParams({ callbackUrl: back })}`}
                  className={buttonClasses()}
                  data-testid="invite-sign-in"
                >
                  Sign in
                </Link>
                <Link
                  href={`/sign-up?${new URLSearchParams({ callbackUrl: back })}`}
                  className={buttonClasses({ variant: 'secondary' })}
                  data-testid="invite-sign-up"
                >
                  Create account
                </Link>
              </div>
            </>
          )}
        </CardContent>
      </Card>
    </main>
  );
}
