// The client's address as the proxy in front of the app reports it (first x-forwarded-for hop, else x-real-ip).
export const clientIp = (headers: Headers): string | null =>
  headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? headers.get('x-real-ip') ?? null;
