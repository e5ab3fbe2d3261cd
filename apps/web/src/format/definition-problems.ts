// The editor's instant checks, before the server has answered: JSON syntax with line and column, then
// everything @manifold/core can tell without the team's servers (schema, ids, step references, expressions).
import { isAppError, validateDefinition, type FieldError } from '@manifold/core';
import { jsonSyntaxErrors, type JsonSyntaxError } from './json-location';

/** A problem as the editor lists it: a path inside the editor's JSON, or a line and column for syntax. */
export interface DefinitionProblem {
  path: string;
  message: string;
  syntax?: JsonSyntaxError;
}

/** `definition.steps[0].id` (a save or check error) → `steps[0].id` (where it is in the editor's JSON). */
export const editorPath = (path: string) => path.replace(/^definition(\.|(?=\[)|$)/, '');

export const toEditorProblems = (errors: FieldError[]): DefinitionProblem[] =>
  errors.map((e) => ({ path: editorPath(e.path), message: e.message }));

export function instantProblems(text: string, syntax: JsonSyntaxError[] = jsonSyntaxErrors(text)): DefinitionProblem[] {
  if (syntax.length) return syntax.map((e) => ({ path: `line ${e.line}:${e.column}`, message: e.message, syntax: e }));
  try {
    validateDefinition(JSON.parse(text));
    return [];
  } catch (error) {
    if (isAppError(error)) return toEditorProblems(error.options.fieldErrors ?? []);
    return [{ path: '', message: String(error) }];
  }
}
