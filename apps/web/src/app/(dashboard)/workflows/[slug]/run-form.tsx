'use client';
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { IdempotencyKeyInput } from '@/components/idempotency-key-input';
import { errorsFor, IDLE } from '@/components/form-state';
import { PlayIcon } from '@/components/icons';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { triggerRunAction } from '../actions';

export function RunForm({ slug, defaultInput }: { slug: string; defaultInput: string }) {
  const [state, action] = useActionState(triggerRunAction.bind(null, slug), IDLE);
  return (
    <form action={action} className="space-y-4" data-testid="run-form" noValidate>
      <IdempotencyKeyInput renewOn={state} />
      <FormAlert state={state} fields={['input']} data-testid="run-form-error" />
      <Field id="run-input" label="Input (JSON object)" errors={errorsFor(state, 'input')} showPaths errorTestId="run-input">
        <Textarea name="input" rows={5} defaultValue={state.values?.input ?? defaultInput} data-testid="run-input" />
      </Field>
      <SubmitButton variant="accent" className="w-full" pendingLabel="Starting…" data-testid="run-button">
        <PlayIcon className="size-4" />
        Run workflow
      </SubmitButton>
    </form>
  );
}
