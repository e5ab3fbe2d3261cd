// Placeholder with the agreed signature so the sandbox compiles; H1b's egress gateway replaces this file on merge.
import type { EgressTarget } from './policy';

export interface EgressSession {
  /** Extra bwrap arguments (binds of a unix socket and a generated /etc/hosts). */
  bwrapArgs: string[];
  /** Goes before the server's argv inside the sandbox (a forwarder that execs/spawns the server). */
  commandPrefix: string[];
  close(): Promise<void>;
}

export interface EgressGateway {
  open(key: string, allow: EgressTarget[]): Promise<EgressSession>;
}

export function createEgressGateway(): EgressGateway {
  return {
    open() {
      return Promise.reject(new Error('egress not available'));
    },
  };
}
