// The web app's composition root: one database pool and one Temporal client per process.
import 'server-only';
import { createDatabase } from '@manifold/db';
import { createKeyringWrapper, createPayloadCodec } from '@manifold/secrets';
import { createMailer, createServices, createTemporalGateway, type Services } from '@manifold/services';
import { webConfig } from './config';

const holder = globalThis as typeof globalThis & { manifoldServices?: Services };

export function services(): Services {
  if (holder.manifoldServices) return holder.manifoldServices;
  const config = webConfig();
  const db = createDatabase(config.DATABASE_URL, { maxConnections: config.WEB_DB_POOL_SIZE });
  const temporal = createTemporalGateway({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    payloadCodec: config.keyring ? createPayloadCodec(config.keyring) : undefined,
  });
  const keyWrapper = config.keyring ? createKeyringWrapper(config.keyring) : undefined;
  return (holder.manifoldServices = createServices(
    { db, temporal, keyWrapper },
    {
      rateLimits: { apiRequestsPerWindow: config.API_RATE_LIMIT, windowSeconds: config.API_RATE_LIMIT_WINDOW_SECONDS },
      loginThrottle: { freeFailures: config.LOGIN_MAX_FAILURES, windowSeconds: config.LOGIN_LOCKOUT_SECONDS },
      mailer: createMailer({ smtpUrl: config.SMTP_URL, ...(config.SMTP_FROM ? { from: config.SMTP_FROM } : {}) }),
      network: config.network,
      allowedCommands: config.MANIFOLD_ALLOWED_COMMANDS,
    },
  ));
}
