// The client's address of a request to this app, by TRUSTED_PROXIES from the configuration (forwarded-for.ts).
import { clientIpFrom } from './forwarded-for';
import { webConfig } from './config';

export const clientIp = (headers: Headers): string | null => clientIpFrom(headers, webConfig().trustedProxies);
