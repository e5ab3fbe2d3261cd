// URLs in stored evidence and messages lose what may be a credential: user info and every query value
// (`?api_key=…` is a common way to pass a token). Host, port and path stay, so a report still says what it reached.

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;

/** One URL without credentials; text that is not a URL comes back unchanged. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username || url.password) {
    url.username = 'redacted';
    url.password = '';
  }
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, 'redacted');
  url.hash = '';
  return url.toString();
}

/** Every URL inside `text`, redacted (error messages quote the URL they failed on). */
export const redactUrlsInText = (text: string): string => text.replace(URL_IN_TEXT, (match) => redactUrl(match));
