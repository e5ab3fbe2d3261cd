'use client';
// Adding a team-private catalog entry, by form or by pasting a server.json document.
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { controlClasses, Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { createServerAction, importServerJsonAction } from './actions';

const FIELDS = ['slug', 'name', 'description', 'version', 'transport', 'command', 'url', 'repository', 'license', 'tags'];

export function AddCatalogEntry() {
  const [state, action] = useActionState(createServerAction, IDLE);
  const [importState, importAction] = useActionState(importServerJsonAction, IDLE);
  const v = state.values ?? {};
  return (
    <div className="mt-10 grid grid-cols-1 gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Add a team server</CardTitle>
        </CardHeader>
        <CardContent>
          <form action={action} className="space-y-3" data-testid="create-server-form" noValidate>
            <FormAlert state={state} fields={FIELDS} />
            <div className="grid grid-cols-2 gap-3">
              <Field id="cs-slug" label="Slug" errors={errorsFor(state, 'slug')}>
                <Input name="slug" defaultValue={v.slug ?? ''} className="font-mono" data-testid="create-server-slug" />
              </Field>
              <Field id="cs-name" label="Name" errors={errorsFor(state, 'name')}>
                <Input name="name" defaultValue={v.name ?? ''} data-testid="create-server-name" />
              </Field>
            </div>
            <Field id="cs-description" label="Description" optional errors={errorsFor(state, 'description')}>
              <Input name="description" defaultValue={v.description ?? ''} />
            </Field>
            <div className="grid grid-cols-2 gap-3">
              <Field id="cs-transport" label="Transport" errors={errorsFor(state, 'transport')}>
                <select
                  name="transport"
                  defaultValue={v.transport ?? 'http'}
                  className={`${controlClasses()} h-9`}
                  data-testid="create-server-transport"
                >
                  <option value="http">http (remote)</option>
                  <option value="stdio">stdio (process)</option>
                </select>
              </Field>
              <Field id="cs-version" label="Version" optional errors={errorsFor(state, 'version')}>
                <Input name="version" defaultValue={v.version ?? ''} placeholder="1.0.0" />
              </Field>
            </div>
            <Field id="cs-url" label="URL (http)" optional errors={errorsFor(state, 'url')}>
              <Input name="url" defaultValue={v.url ?? ''} placeholder="https://mcp.example.com/mcp" data-testid="create-server-url" />
            </Field>
            <Field
              id="cs-command"
              label="Command (stdio): one argument per line"
              hint="A pinned package runner (npx, -y, pkg@1.2.3 — or uvx, pkg==1.2.3), or an absolute program the operator allow-lists; never a shell."
              optional
              errors={errorsFor(state, 'command')}
            >
              <Textarea name="command" defaultValue={v.command ?? ''} rows={3} className="font-mono" />
            </Field>
            <div className="grid grid-cols-3 gap-3">
              <Field id="cs-repository" label="Repository" optional errors={errorsFor(state, 'repository')}>
                <Input name="repository" defaultValue={v.repository ?? ''} />
              </Field>
              <Field id="cs-license" label="License" optional>
                <Input name="license" defaultValue={v.license ?? ''} />
              </Field>
              <Field id="cs-tags" label="Tags" optional errors={errorsFor(state, 'tags')}>
                <Input name="tags" defaultValue={v.tags ?? ''} placeholder="crm, internal" />
              </Field>
            </div>
            <SubmitButton pendingLabel="Adding…" data-testid="create-server-submit">
              Add to catalog
            </SubmitButton>
          </form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Import server.json</CardTitle>
        </CardHeader>
        <CardContent>
          <form action={importAction} className="space-y-3" data-testid="import-server-form" noValidate>
            <FormAlert state={importState} fields={['json']} />
            <Field id="import-json" label="server.json (MCP registry format)">
              <Textarea
                name="json"
                rows={14}
                defaultValue={importState.values?.json ?? ''}
                className="font-mono text-xs"
                data-testid="import-server-json"
              />
            </Field>
            <SubmitButton pendingLabel="Importing…" data-testid="import-server-submit">
              Import
            </SubmitButton>
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
