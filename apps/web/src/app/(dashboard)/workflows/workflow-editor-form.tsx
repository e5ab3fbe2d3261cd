'use client';
// The workflow editor: name fields, a JSON editor with live validation and a graph that follows the text.
// Checks run in two tiers: instantly in the browser (JSON syntax, then the definition schema, step
// references and expressions from @manifold/core), and ~300 ms after typing stops on the server, against
// the team's installed servers and their tools' input schemas (the same checks saving runs).
import dynamic from 'next/dynamic';
import { useActionState, useEffect, useMemo, useRef, useState } from 'react';
import type { EditorView } from '@codemirror/view';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE, type FormState } from '@/components/form-state';
import { Spinner, SubmitButton } from '@/components/submit-button';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { instantProblems, toEditorProblems, type DefinitionProblem } from '@/format/definition-problems';
import { jsonSyntaxErrors, rangeOfPath } from '@/format/json-location';
import { buildWorkflowGraph, nodeForErrorPath } from '@/format/workflow-graph';
import type { EditorDiagnostic } from '@/components/workflow-editor/json-code-editor';
import { checkDefinitionAction, createWorkflowAction, updateWorkflowAction, type DefinitionCheck } from './actions';

const JsonCodeEditor = dynamic(() => import('@/components/workflow-editor/json-code-editor'), {
  ssr: false,
  loading: () => <p className="p-4 text-sm text-zinc-400">Loading the editor…</p>,
});
const WorkflowGraphView = dynamic(() => import('@/components/workflow-editor/workflow-graph-view'), {
  ssr: false,
  loading: () => <p className="p-4 text-sm text-zinc-400">Loading the graph…</p>,
});

const SERVER_CHECK_DELAY_MS = 300;

type Props =
  | { mode: 'create'; initialDefinition: string }
  | { mode: 'edit'; slug: string; name: string; description: string; version: number; initialDefinition: string };

const CREATE_FIELDS = ['slug', 'name', 'description', 'definition'] as const;
const EDIT_FIELDS = ['name', 'description', 'definition'] as const;

export function WorkflowEditorForm(props: Props) {
  const slug = props.mode === 'edit' ? props.slug : null;
  const action = useMemo(() => (slug === null ? createWorkflowAction : updateWorkflowAction.bind(null, slug)), [slug]);
  const [state, formAction] = useActionState<FormState, FormData>(action, IDLE);
  const [text, setText] = useState(state.values?.definition ?? props.initialDefinition);
  // The last text that parsed: the graph keeps showing it while the JSON is broken.
  const [goodText, setGoodText] = useState(text);
  const [server, setServer] = useState<(DefinitionCheck & { text: string }) | null>(null);
  const view = useRef<EditorView | null>(null);

  const syntax = useMemo(() => jsonSyntaxErrors(text), [text]);
  const instant = useMemo(() => instantProblems(text, syntax), [text, syntax]);
  const isChecking = syntax.length === 0 && server?.text !== text;

  // Debounced server check of the current text; a late answer for an older text is dropped.
  useEffect(() => {
    if (syntax.length) return;
    let isCurrent = true;
    const timer = setTimeout(() => {
      checkDefinitionAction(text)
        .then((result) => isCurrent && setServer({ ...result, text }))
        .catch(() => isCurrent && setServer({ errors: [], message: 'Could not check with the server; saving will check again.', text }));
    }, SERVER_CHECK_DELAY_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [text, syntax]);

  const problems: DefinitionProblem[] = useMemo(() => {
    const found = syntax.length || server?.text !== text ? instant : toEditorProblems(server.errors);
    // Errors saving reported for exactly this text (e.g. a server removed meanwhile) count too.
    const saved = state.status === 'error' && state.values?.definition === text ? toEditorProblems(errorsFor(state, 'definition')) : [];
    const seen = new Set(found.map((p) => `${p.path}\u0000${p.message}`));
    return [...found, ...saved.filter((p) => !seen.has(`${p.path}\u0000${p.message}`))];
  }, [instant, server, syntax, text, state]);

  const graph = useMemo(() => buildWorkflowGraph(JSON.parse(goodText) as unknown), [goodText]);
  const errorCounts = useMemo(() => {
    const counts = new Map<string, number>();
    if (syntax.length === 0)
      for (const p of problems) {
        const node = nodeForErrorPath(graph, p.path);
        counts.set(node, (counts.get(node) ?? 0) + 1);
      }
    return counts;
  }, [graph, problems, syntax]);

  const diagnostics: EditorDiagnostic[] = useMemo(
    () =>
      problems.flatMap((p) => {
        if (p.syntax) return [{ from: p.syntax.offset, to: p.syntax.offset + Math.max(1, p.syntax.length), message: p.message }];
        const range = rangeOfPath(text, p.path);
        return range ? [{ ...range, message: p.path ? `${p.path}: ${p.message}` : p.message }] : [];
      }),
    [problems, text],
  );

  const focusRange = (from: number, to: number) => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    editor.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
    editor.focus();
  };
  const focusProblem = (p: DefinitionProblem) => {
    if (p.syntax) return focusRange(p.syntax.offset, p.syntax.offset + p.syntax.length);
    const range = rangeOfPath(text, p.path);
    if (range) focusRange(range.from, range.to);
  };

  const onChange = (value: string) => {
    setText(value);
    if (jsonSyntaxErrors(value).length === 0) setGoodText(value);
  };

  const isValid = syntax.length === 0 && !isChecking && problems.length === 0 && !server?.message;
  const fields = props.mode === 'create' ? CREATE_FIELDS : EDIT_FIELDS;

  return (
    <form action={formAction} data-testid="workflow-form" noValidate>
      <Card>
        <CardContent className="space-y-5">
          <FormAlert state={state} fields={fields} data-testid="workflow-form-error" />
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="workflow-name" label="Name" errors={errorsFor(state, 'name')}>
              <Input
                name="name"
                defaultValue={state.values?.name ?? (props.mode === 'edit' ? props.name : undefined)}
                placeholder="Say hello"
                required
                data-testid="workflow-name"
              />
            </Field>
            {props.mode === 'create' ? (
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
            ) : (
              <div className="space-y-1.5 text-sm">
                <p className="font-medium text-zinc-900">Slug</p>
                <p className="flex h-9 items-center font-mono text-zinc-600">{props.slug}</p>
              </div>
            )}
          </div>
          <Field id="workflow-description" label="Description" optional errors={errorsFor(state, 'description')}>
            <Input
              name="description"
              defaultValue={state.values?.description ?? (props.mode === 'edit' ? props.description : undefined)}
              data-testid="workflow-description"
            />
          </Field>

          <input type="hidden" name="definition" value={text} />
          <div className="grid gap-4 xl:grid-cols-2">
            <div className="min-w-0 space-y-2">
              <div className="flex items-baseline justify-between gap-3">
                <span className="text-sm font-medium text-zinc-900" id="workflow-definition-label">
                  Definition (JSON)
                </span>
                <span className="text-xs text-zinc-500">
                  Steps run in order; arguments may use <code className="font-mono">{'{{ $input.x }}'}</code>.
                </span>
              </div>
              <div
                id="workflow-definition-editor"
                className={cn(
                  'h-[28rem] overflow-hidden rounded-md border bg-white',
                  problems.length ? 'border-red-300' : 'border-zinc-300 focus-within:border-indigo-400',
                )}
                data-testid="workflow-definition"
              >
                <JsonCodeEditor
                  initialValue={text}
                  diagnostics={diagnostics}
                  onChange={onChange}
                  onView={(v) => (view.current = v)}
                  ariaLabel="Workflow definition (JSON)"
                  ariaDescribedBy="workflow-problems"
                />
              </div>
            </div>
            <div className="min-w-0 space-y-2">
              <div className="flex items-baseline justify-between gap-3">
                <p className="text-sm font-medium text-zinc-900">Graph</p>
                <span className="text-xs text-zinc-500" data-testid="graph-status">
                  {syntax.length ? 'Showing the last version that parsed' : `${graph.nodes.filter((n) => n.path).length} steps`}
                </span>
              </div>
              <div
                className={cn(
                  'h-[28rem] overflow-hidden rounded-md border border-zinc-200 bg-zinc-50/50',
                  syntax.length > 0 && 'opacity-70',
                )}
                data-testid="workflow-graph"
                data-stale={syntax.length > 0 || undefined}
              >
                <WorkflowGraphView
                  graph={graph}
                  errorCounts={errorCounts}
                  onSelectStep={(path) => {
                    const range = rangeOfPath(text, path);
                    if (range) focusRange(range.from, range.from);
                  }}
                />
              </div>
            </div>
          </div>

          <ProblemList
            problems={problems}
            isChecking={isChecking}
            message={server?.text === text ? server.message : undefined}
            onSelect={focusProblem}
          />
        </CardContent>
        <CardFooter>
          <SubmitButton pendingLabel="Saving…" disabled={!isValid} data-testid="workflow-submit">
            {props.mode === 'create' ? 'Create workflow' : `Save as version ${props.version + 1}`}
          </SubmitButton>
        </CardFooter>
      </Card>
    </form>
  );
}

function ProblemList({
  problems,
  isChecking,
  message,
  onSelect,
}: {
  problems: DefinitionProblem[];
  isChecking: boolean;
  message: string | undefined;
  onSelect(problem: DefinitionProblem): void;
}) {
  return (
    <div id="workflow-problems" className="rounded-md border border-zinc-200" data-testid="editor-problems" aria-live="polite">
      <div
        className="flex items-center gap-2 border-b border-zinc-100 bg-zinc-50/60 px-3 py-2 text-xs font-medium"
        data-testid="editor-status"
      >
        {problems.length > 0 ? (
          <span className="text-red-700">
            {problems.length} problem{problems.length === 1 ? '' : 's'}
          </span>
        ) : isChecking ? (
          <span className="text-zinc-500">No problems so far</span>
        ) : message ? (
          <span className="text-amber-800">{message}</span>
        ) : (
          <span className="text-emerald-700" data-testid="editor-valid">
            No problems: ready to save
          </span>
        )}
        {isChecking && (
          <span className="ml-auto inline-flex items-center gap-1.5 text-zinc-500" data-testid="editor-checking">
            <Spinner className="size-3" />
            Checking with this team’s servers…
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="max-h-48 divide-y divide-zinc-100 overflow-auto">
          {problems.map((p, i) => (
            <li key={`${p.path}:${p.message}:${i}`}>
              <button
                type="button"
                onClick={() => onSelect(p)}
                className="flex w-full items-start gap-2 px-3 py-1.5 text-left text-sm hover:bg-red-50/60 focus-visible:bg-red-50 focus-visible:outline-none"
                data-testid="editor-problem"
                data-path={p.path}
              >
                {p.path && <code className="shrink-0 rounded bg-red-50 px-1 py-0.5 font-mono text-xs text-red-700">{p.path}</code>}
                <span className="text-zinc-800">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
