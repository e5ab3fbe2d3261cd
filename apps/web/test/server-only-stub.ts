// Stands in for the `server-only` guard when route modules are imported by vitest (a server context).
export {};
