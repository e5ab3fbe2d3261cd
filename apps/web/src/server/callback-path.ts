// Where to send someone after signing in. Only the path of a callbackUrl is kept, so it can never lead to
// another site (an open redirect).

export const DEFAULT_AFTER_SIGN_IN = '/runs';

const NOT_A_DESTINATION = /^\/(sign-in|sign-up|api|app-api)(\/|$)/;

export function callbackPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(raw, 'http://manifold.invalid');
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  // "//evil.example" as a path would be read by the browser as another host: collapse leading slashes.
  const pathname = `/${url.pathname.replace(/^[/\\]+/, '')}`;
  if (NOT_A_DESTINATION.test(pathname)) return DEFAULT_AFTER_SIGN_IN;
  return `${pathname}${url.search}${url.hash}`;
}
