'use client';
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { signInAction } from '../actions';

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(signInAction, IDLE);
  return (
    <form action={action} className="space-y-4" data-testid="sign-in-form" noValidate>
      <FormAlert state={state} fields={['email', 'password']} data-testid="sign-in-error" />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field id="sign-in-email" label="Email" errors={errorsFor(state, 'email')}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} data-testid="sign-in-email" />
      </Field>
      <Field id="sign-in-password" label="Password" errors={errorsFor(state, 'password')}>
        <Input name="password" type="password" autoComplete="current-password" required data-testid="sign-in-password" />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Signing in…" data-testid="sign-in-submit">
        Sign in
      </SubmitButton>
    </form>
  );
}
