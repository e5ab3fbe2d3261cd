// Start-up checks on Node: a production server without a master keyring refuses to start.
import { keyringFromEnvironment } from '@manifold/secrets';

try {
  keyringFromEnvironment(process.env);
} catch (error) {
  console.error(`web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
