// Runs once when the server starts: a production server without a master keyring refuses to start.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { keyringFromEnvironment } = await import('@manifold/secrets');
  try {
    keyringFromEnvironment(process.env);
  } catch (error) {
    console.error(`web: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
