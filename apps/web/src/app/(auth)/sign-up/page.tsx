import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { callbackPath } from '@/server/callback-path';
import { readSession } from '@/server/session';
import { AuthCard } from '../auth-card';
import { SignUpForm } from './sign-up-form';

export const metadata: Metadata = { title: 'Create an account · Manifold' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl } = await searchParams;
  const raw = typeof callbackUrl === 'string' ? callbackUrl : '';
  if (await readSession()) redirect(callbackPath(raw));
  return (
    <AuthCard
      title="Create your account"
      description="You get a personal team to install servers and run workflows in."
      footer={
        <>
          Already have an account?{' '}
          <Link
            href={raw ? `/sign-in?${new URLSearchParams({ callbackUrl: callbackPath(raw) })}` : '/sign-in'}
            className="font-medium text-indigo-600 hover:text-indigo-500"
            data-testid="sign-in-link"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={raw ? callbackPath(raw) : ''} />
    </AuthCard>
  );
}
