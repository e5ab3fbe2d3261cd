// Recognises AppErrors from any copy of @manifold/core. Next bundles app pages and route handlers into
// separate runtimes, each with its own copy of the package, while services() is one process-wide singleton:
// an error it throws may come from the other copy, and `instanceof AppError` is then false.
import { notFound } from 'next/navigation';
import { ERROR_CODES, isAppError, type AppError } from '@manifold/core';

export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof Error && error.name === 'AppError') {
    const { code, options } = error as Partial<AppError>;
    if (typeof code === 'string' && Object.hasOwn(ERROR_CODES, code) && typeof options === 'object') return error as AppError;
  }
  return null;
}

/** Awaits a service read; its not_found error becomes the page's 404. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (asAppError(error)?.code === 'not_found') notFound();
    throw error;
  }
}
