// Manifold's own listeners besides the database and TEMPORAL_ADDRESS (which come from their URLs), with
// `npm start`'s defaults. The worker and the web app read them the same way and refuse them to every MCP
// server, whatever MANIFOLD_ALLOWED_HOSTS or MANIFOLD_ALLOW_LOOPBACK allow (@manifold/mcp protectedEndpointsFromSettings).
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const ownEndpointSettingsShape = {
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_HTTP_PORT: port(7243),
  TEMPORAL_METRICS_PORT: port(7244),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  /** The web app's port. */
  PORT: port(3000),
  /** The web app's public URL, when it is served under another host or port. */
  APP_URL: z.string().optional(),
  AUTH_URL: z.string().optional(),
  NEXTAUTH_URL: z.string().optional(),
};
