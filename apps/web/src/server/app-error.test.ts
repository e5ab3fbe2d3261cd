import { describe, expect, it } from 'vitest';
import { AppError } from '@manifold/core';
import { asAppError } from './app-error';

/** What an AppError from another bundled copy of @manifold/core looks like: same shape, other class. */
class ForeignAppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    message: string,
    readonly options: object = {},
  ) {
    super(message);
  }
}

describe('asAppError', () => {
  it('accepts AppErrors from this copy and from another copy of @manifold/core', () => {
    const own = new AppError('not_found', 'gone');
    expect(asAppError(own)).toBe(own);
    const foreign = new ForeignAppError('validation_failed', 'bad', { fieldErrors: [{ path: 'email', message: 'x' }] });
    expect(asAppError(foreign)).toBe(foreign);
  });

  it('rejects look-alikes with unknown codes and other errors', () => {
    expect(asAppError(new ForeignAppError('teapot', 'no'))).toBeNull();
    expect(asAppError(new Error('plain'))).toBeNull();
    expect(asAppError({ name: 'AppError', code: 'not_found', options: {} })).toBeNull();
  });
});
