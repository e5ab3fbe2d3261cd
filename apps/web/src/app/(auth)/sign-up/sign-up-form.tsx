'use client';
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { signUpAction } from '../actions';

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(signUpAction, IDLE);
  return (
    <form action={action} className="space-y-4" data-testid="sign-up-form" noValidate>
      <FormAlert state={state} fields={['name', 'email', 'password']} data-testid="sign-up-error" />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field id="sign-up-name" label="Name" optional errors={errorsFor(state, 'name')}>
        <Input name="name" autoComplete="name" defaultValue={state.values?.name} data-testid="sign-up-name" />
      </Field>
      <Field id="sign-up-email" label="Email" errors={errorsFor(state, 'email')}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} data-testid="sign-up-email" />
      </Field>
      <Field id="sign-up-password" label="Password" hint="At least 10 characters." errors={errorsFor(state, 'password')}>
        <Input name="password" type="password" autoComplete="new-password" required minLength={10} data-testid="sign-up-password" />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Creating account…" data-testid="sign-up-submit">
        Create account
      </SubmitButton>
    </form>
  );
}
