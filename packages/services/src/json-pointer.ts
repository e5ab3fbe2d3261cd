/** `/a/0/b` (a JSON pointer, as Ajv reports it) → `a[0].b` under `prefix`: the path style of every error we return. */
export function pointerToPath(pointer: string, prefix: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}
