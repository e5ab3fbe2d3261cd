// Runs once when the server starts; the Node-only checks live in their own module (never bundled for Edge).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
