// AppErrors from services, as pages need them. isAppError checks the error's shape, so it also recognises
// errors from the other copy of @manifold/core that Next bundles into route handlers.
import { notFound } from 'next/navigation';
import { isAppError, type AppError } from '@manifold/core';

export const asAppError = (error: unknown): AppError | null => (isAppError(error) ? error : null);

/** Awaits a service read; its not_found error becomes the page's 404. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (asAppError(error)?.code === 'not_found') notFound();
    throw error;
  }
}
