'use client';
// A CodeMirror 6 JSON editor: line numbers, brackets, history, and a lint gutter that shows the
// diagnostics the parent hands in (the parent owns validation). Loaded with next/dynamic (ssr: false).
import { useEffect, useRef } from 'react';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';

export interface EditorDiagnostic {
  from: number;
  to: number;
  message: string;
}

export interface JsonCodeEditorProps {
  initialValue: string;
  diagnostics: EditorDiagnostic[];
  onChange(value: string): void;
  /** Hands the view to the parent, which moves the cursor to an error's position. */
  onView?(view: EditorView | null): void;
  ariaLabel: string;
  ariaDescribedBy?: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '12.5px', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { padding: '8px 0' },
  '.cm-gutters': {
    backgroundColor: 'var(--color-zinc-50)',
    borderRight: '1px solid var(--color-zinc-200)',
    color: 'var(--color-zinc-400)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in oklab, var(--color-indigo-50) 60%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--color-indigo-50)' },
  '&.cm-focused': { outline: 'none' },
});

export default function JsonCodeEditor({ initialValue, diagnostics, onChange, onView, ariaLabel, ariaDescribedBy }: JsonCodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by the long-lived editor without recreating it.
  const callbacks = useRef({ onChange, onView });
  callbacks.current = { onChange, onView };

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initialValue,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          highlightActiveLine(),
          highlightActiveLineGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          json(),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({ 'aria-label': ariaLabel, ...(ariaDescribedBy ? { 'aria-describedby': ariaDescribedBy } : {}) }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
          theme,
        ],
      }),
    });
    view.current = editor;
    callbacks.current.onView?.(editor);
    return () => {
      callbacks.current.onView?.(null);
      view.current = null;
      editor.destroy();
    };
    // The editor is created once; later values come from typing, not from props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const marks: Diagnostic[] = diagnostics.map((d) => {
      const from = Math.min(d.from, length);
      return { from, to: Math.max(from, Math.min(d.to, length)), severity: 'error', message: d.message };
    });
    editor.dispatch(setDiagnostics(editor.state, marks));
  }, [diagnostics]);

  return <div ref={host} className="h-full min-h-0" data-testid="code-editor" />;
}
