// Maps between the editor's text and JSON paths: where an error path such as `steps[2].args.path` sits in
// the text, and the JSON syntax errors with their line and column. jsonc-parser gives the locations.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type PathSegment = string | number;

/** `steps[2].args.path` → ['steps', 2, 'args', 'path'] (the format of @manifold/core's formatPath). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\.?([^.[\]]+)/g)) segments.push(match[1] !== undefined ? Number(match[1]) : match[2]!);
  return segments;
}

export interface TextRange {
  from: number;
  to: number;
}

/**
 * The text range of the value at `path`. A path that does not exist (a missing required field, say) falls
 * back to its deepest existing ancestor; an unknown key's range is its property (key and value).
 */
export function rangeOfPath(text: string, path: string | PathSegment[]): TextRange | null {
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  if (!root) return null;
  const segments = typeof path === 'string' ? parsePath(path) : path;
  for (let length = segments.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, segments.slice(0, length));
    if (node) return rangeOf(node);
  }
  return rangeOf(root);
}

const rangeOf = (node: Node): TextRange => ({ from: node.offset, to: node.offset + node.length });

export interface JsonSyntaxError {
  message: string;
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

const DESCRIBE: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected ":"',
  CommaExpected: 'Expected ","',
  CloseBraceExpected: 'Expected "}"',
  CloseBracketExpected: 'Expected "]"',
  EndOfFileExpected: 'Unexpected text after the end',
  InvalidCommentToken: 'Comments are not allowed',
  UnexpectedEndOfComment: 'Comments are not allowed',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unexpected end of number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in string',
};

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Strict JSON syntax errors (no comments, no trailing commas), each with its position; empty when the text parses. */
export function jsonSyntaxErrors(text: string): JsonSyntaxError[] {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length === 0 && text.trim() === '') errors.push({ error: 4 /* ValueExpected */, offset: 0, length: 0 });
  return errors.map((e) => {
    const code = printParseErrorCode(e.error);
    const { line, column } = lineColumn(text, e.offset);
    return { message: `${DESCRIBE[code] ?? code} at line ${line}, column ${column}.`, offset: e.offset, length: e.length, line, column };
  });
}
