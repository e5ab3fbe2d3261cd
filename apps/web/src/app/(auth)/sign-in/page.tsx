import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { callbackPath } from '@/server/callback-path';
import { readSession } from '@/server/session';
import { AuthCard } from '../auth-card';
import { ProviderButtons } from '../provider-buttons';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in · Manifold' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl, signedUp } = await searchParams;
  const raw = typeof callbackUrl === 'string' ? callbackUrl : '';
  if (await readSession()) redirect(callbackPath(raw));
  const signUpHref = raw ? `/sign-up?${new URLSearchParams({ callbackUrl: callbackPath(raw) })}` : '/sign-up';
  return (
    <AuthCard
      title="Sign in"
      description="Welcome back. Sign in to your team’s workspace."
      footer={
        <>
          New to Manifold?{' '}
          <Link href={signUpHref} className="font-medium text-indigo-600 hover:text-indigo-500" data-testid="sign-up-link">
            Create an account
          </Link>
        </>
      }
    >
      {signedUp === '1' ? (
        <p
          className="mb-4 rounded-md border border-indigo-100 bg-indigo-50 px-3 py-2 text-sm text-indigo-900"
          data-testid="signed-up-notice"
        >
          Thanks — sign in with the email and password you just chose. If that address already had an account, we emailed its owner instead.
        </p>
      ) : null}
      <SignInForm callbackUrl={raw ? callbackPath(raw) : ''} />
      <ProviderButtons callbackUrl={raw ? callbackPath(raw) : ''} />
    </AuthCard>
  );
}
