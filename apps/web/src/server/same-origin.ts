// CSRF defence for cookie-authenticated requests: a state-changing request must carry an `Origin` header
// naming this site. Next.js compares Origin with Host for server actions only when Origin is present; a
// request without it (a script, an old client, a form posted by a privacy tool that strips it) was executed.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Paths authenticated by bearer API keys, never by cookies: cross-site requests cannot ride on them. */
const BEARER_ONLY = /^\/api\/v1(?:\/|$)/;

/** The host this request was addressed to, as the browser saw it (the proxy's forwarded host, else Host). */
function requestHost(headers: Headers): string | null {
  return headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
}

/** Null when the request may proceed, else why it is refused. */
export function crossOriginRefusal(method: string, pathname: string, headers: Headers): string | null {
  if (SAFE_METHODS.has(method.toUpperCase()) || BEARER_ONLY.test(pathname)) return null;
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return 'A state-changing request needs an Origin header naming this site.';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'The Origin header is not a URL.';
  }
  const host = requestHost(headers);
  if (!host || originHost.toLowerCase() !== host.toLowerCase()) return 'Cross-site requests are refused: the Origin is not this site.';
  return null;
}
