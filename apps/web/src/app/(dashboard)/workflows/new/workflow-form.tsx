'use client';
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { createWorkflowAction } from '../actions';

const FIELDS = ['slug', 'name', 'description', 'definition'] as const;

export function WorkflowForm({ exampleDefinition }: { exampleDefinition: string }) {
  const [state, action] = useActionState(createWorkflowAction, IDLE);
  return (
    <form action={action} data-testid="workflow-form" noValidate>
      <Card>
        <CardContent className="space-y-5">
          <FormAlert state={state} fields={FIELDS} data-testid="workflow-form-error" />
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="workflow-name" label="Name" errors={errorsFor(state, 'name')}>
              <Input name="name" defaultValue={state.values?.name} placeholder="Say hello" required data-testid="workflow-name" />
            </Field>
            <Field
              id="workflow-slug"
              label="Slug"
              hint="Lowercase letters, digits and “-”. Used in URLs and the API."
              errors={errorsFor(state, 'slug')}
            >
              <Input
                name="slug"
                defaultValue={state.values?.slug}
                placeholder="say-hello"
                autoComplete="off"
                required
                className="font-mono"
                data-testid="workflow-slug"
              />
            </Field>
          </div>
          <Field id="workflow-description" label="Description" optional errors={errorsFor(state, 'description')}>
            <Input name="description" defaultValue={state.values?.description} data-testid="workflow-description" />
          </Field>
          <Field
            id="workflow-definition"
            label="Definition (JSON)"
            hint={
              <>
                Steps run in order. Each tool step names an installed <code className="font-mono">server</code> and one of its{' '}
                <code className="font-mono">tool</code>s; arguments may use <code className="font-mono">{'{{ $input.x }}'}</code> or{' '}
                <code className="font-mono">{'{{ $steps.say.output }}'}</code>.
              </>
            }
            errors={errorsFor(state, 'definition')}
            showPaths
            errorTestId="workflow-definition"
          >
            <Textarea
              name="definition"
              rows={11}
              defaultValue={state.values?.definition ?? exampleDefinition}
              required
              data-testid="workflow-definition"
            />
          </Field>
        </CardContent>
        <CardFooter>
          <SubmitButton pendingLabel="Creating…" data-testid="workflow-submit">
            Create workflow
          </SubmitButton>
        </CardFooter>
      </Card>
    </form>
  );
}
