'use server';
// Sign-in and sign-up: parse, call the identity service (through Auth.js for sign-in), then redirect.
import { CredentialsSignin } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { signIn } from '@/auth';
import type { FormState } from '@/components/form-state';
import { callbackPath } from '@/server/callback-path';
import { clientIp } from '@/server/client-ip';
import { formError, formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';

const signInFields = z.object({
  email: z.string().trim().min(1, 'Enter your email address.'),
  password: z.string().min(1, 'Enter your password.'),
  callbackUrl: z.string(),
});

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['email', 'password', 'callbackUrl'] as const);
  const kept = { email: values.email };
  const parsed = signInFields.safeParse(values);
  if (!parsed.success) return formError('Enter your email and password.', groupIssues(parsed.error), kept);
  try {
    await signIn('credentials', { email: parsed.data.email, password: parsed.data.password, redirect: false });
  } catch (error) {
    // A wrong email or password, or a throttled client; anything else (database down, misconfiguration) is
    // our fault and is logged.
    if (error instanceof CredentialsSignin) {
      const wait = await services().identity.signInRetryAfter(parsed.data.email, clientIp(await headers()));
      if (wait > 0) return formError(`Too many failed sign-ins. Wait ${describeWait(wait)} and try again.`, {}, kept);
      return formError('That email and password do not match an account.', {}, kept);
    }
    return formStateFromError(error, kept);
  }
  redirect(callbackPath(parsed.data.callbackUrl));
}

/**
 * Sign-up answers the same whether or not the address already has an account (its owner is mailed a
 * notice instead): it never signs in by itself, since signing in a new account but not an existing one
 * would tell a stranger which addresses are registered. The sign-in page then says what to do.
 */
export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['name', 'email', 'password', 'callbackUrl'] as const);
  const kept = { name: values.name, email: values.email };
  try {
    // The identity service validates (email, a strong password) and creates the user and a personal team.
    await services().identity.signUp(
      { email: values.email.trim(), password: values.password, name: values.name.trim() || undefined },
      { ip: clientIp(await headers()) },
    );
  } catch (error) {
    return formStateFromError(error, kept);
  }
  // A new account starts where it adds its first server, unless it came from a link (an invitation).
  const next = new URLSearchParams({ signedUp: '1', callbackUrl: values.callbackUrl ? callbackPath(values.callbackUrl) : '/servers' });
  redirect(`/sign-in?${next}`);
}

const describeWait = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

function groupIssues(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
}
