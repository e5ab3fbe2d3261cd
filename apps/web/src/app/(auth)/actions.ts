'use server';
// Sign-in and sign-up: parse, call the identity service (through Auth.js for sign-in), then redirect.
import { CredentialsSignin } from 'next-auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { signIn } from '@/auth';
import type { FormState } from '@/components/form-state';
import { callbackPath } from '@/server/callback-path';
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
    // A wrong email or password; anything else (database down, misconfiguration) is our fault and is logged.
    if (error instanceof CredentialsSignin) {
      if (await services().identity.isSignInLocked(parsed.data.email))
        return formError('Too many failed sign-ins for this email. Wait a while (15 minutes by default) and try again.', {}, kept);
      return formError('That email and password do not match an account.', {}, kept);
    }
    return formStateFromError(error, kept);
  }
  redirect(callbackPath(parsed.data.callbackUrl));
}

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['name', 'email', 'password', 'callbackUrl'] as const);
  const kept = { name: values.name, email: values.email };
  try {
    // The identity service validates (email, password ≥ 10 characters) and creates the user and a personal team.
    await services().identity.signUp({ email: values.email.trim(), password: values.password, name: values.name.trim() || undefined });
    await signIn('credentials', { email: values.email.trim(), password: values.password, redirect: false });
  } catch (error) {
    return formStateFromError(error, kept);
  }
  redirect(values.callbackUrl ? callbackPath(values.callbackUrl) : '/servers');
}

function groupIssues(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
}
