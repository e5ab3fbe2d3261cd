// A pool of live MCP sessions, one per connection key. Calls on one key share the session (JSON-RPC
// multiplexes requests), a dropped session is replaced on the next call, idle sessions are closed, and
// close() ends every child process. Spawning per call would cost ~230 ms each; a pooled call costs < 1 ms.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { classifyError, McpCallError } from './errors';
import { describeSpec, type ConnectionSpec, type StdioSpec } from './connection-spec';
import { resolveProgram } from './resolve-program';
import { descendantPids, endProcesses } from './process-tree';
import { assertUrlAllowed, guardedFetch, type NetworkPolicy } from './network-policy';
import { bearerFetch } from './bearer-fetch';
import type { ChildProcess } from 'node:child_process';
import { buildSandboxArgv, DEFAULT_SANDBOX_TOOLS, hostLayout, programMounts, sandboxEnvironment, type HostLayout } from './sandbox/bwrap';
import { describeLimitHit, type ProcessEnd } from './sandbox/limits';
import { probeSandbox, type SandboxProbe } from './sandbox/probe';
import type { EgressGateway, EgressSession } from './sandbox/egress';
import type { SandboxLimits } from './sandbox/policy';

export interface PoolSandboxOptions {
  /**
   * required: a stdio server without a working sandbox (or without a policy) is refused (production).
   * optional: it runs unsandboxed, with one loud warning (development). off: never sandbox.
   */
  mode: 'required' | 'optional' | 'off';
  /** Opens the way out for `network.mode === 'egress'` policies; without it such servers are refused. */
  egress?: EgressGateway;
  bwrapPath?: string;
  setprivPath?: string;
  prlimitPath?: string;
  /** A probe already made (the worker probes at start); otherwise the pool probes once, before the first stdio start. */
  probe?: SandboxProbe | Promise<SandboxProbe>;
}

export interface PoolOptions {
  /** Directories searched first for stdio programs (e.g. node_modules/.bin). */
  programDirs?: string[];
  /** Close a session unused for this long. */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  clientName?: string;
  clientVersion?: string;
  onEvent?: (event: PoolEvent) => void;
  /** Which remote addresses may be reached (SSRF guard). The default refuses every non-public address. */
  network?: NetworkPolicy;
  /** A tool result larger than this (serialized JSON, bytes) fails as a protocol_error. Default 4 MiB. */
  maxResultBytes?: number;
  /** How stdio servers are sandboxed (bubblewrap). Default: off. */
  sandbox?: PoolSandboxOptions;
}

export type PoolEvent =
  | { type: 'connected'; key: string; target: string; ms: number; pid: number | null }
  | { type: 'closed'; key: string; target: string; reason: 'idle' | 'dropped' | 'shutdown' }
  | { type: 'stderr'; key: string; line: string }
  /** Something an operator must see (e.g. stdio servers running without a sandbox); emitted once per cause. */
  | { type: 'warning'; message: string };

interface Session {
  key: string;
  target: string;
  client: Client;
  transport: Transport;
  inFlight: number;
  lastUsed: number;
  stderrTail: string[];
  pid: number | null;
  closed: boolean;
  /** Set for a sandboxed process: its limits name the cause when it dies. */
  limits?: SandboxLimits;
  /** How the process ended, once it has. */
  end: ProcessEnd | null;
  egress?: EgressSession;
  /** The caller's check of this session's tools/list, made once before its first call (see CallOptions.verifyTools). */
  verified?: Promise<ToolGate> | undefined;
}

interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  limits?: SandboxLimits;
  egress?: EgressSession;
}

export interface ProbeSession {
  client: Client;
  /** Spawn (stdio) or connection set-up plus initialize, in ms. */
  initializeMs: number;
  pid: number | null;
  close(): Promise<void>;
  /** Drops the connection abruptly (to test how the server copes), then releases the session. */
  dropAbruptly(): Promise<void>;
}

/** Throws when a call of `toolName` may not go ahead on this session. */
export type ToolGate = (toolName: string) => void;

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Asked once per session before its first call (and again after the server announces a tool change): gets
   * the session's live tools/list and answers the gate every call's tool name passes, a Set lookup. A rejection
   * or a refused call makes the next call ask again (so an approval opens the gate). Tool pinning uses it: a
   * changed definition is held without anyone listing tools.
   */
  verifyTools?: (tools: Tool[]) => Promise<ToolGate>;
}

/** A tools/call's own options: `meta` goes to the server as the request's `_meta` (e.g. its idempotency key). */
export interface ToolCallOptions extends CallOptions {
  meta?: Record<string, unknown>;
}

const STDERR_TAIL_LINES = 20;
// Big results are stored by reference (claim-check), so they need not fit a Temporal payload (2 MB).
const DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024;

export class McpPool {
  private readonly sessions = new Map<string, Promise<Session>>();
  private readonly idleTimer: NodeJS.Timeout;
  private isShuttingDown = false;

  constructor(private readonly options: PoolOptions = {}) {
    const idle = options.idleTimeoutMs ?? 5 * 60_000;
    this.idleTimer = setInterval(() => void this.closeIdle(idle), Math.min(idle, 30_000));
    this.idleTimer.unref();
  }

  async callTool(spec: ConnectionSpec, name: string, args: Record<string, unknown>, options: ToolCallOptions): Promise<CallToolResult> {
    const context = `tools/call ${name} on ${describeSpec(spec)}`;
    const { meta, ...callOptions } = options;
    const params = { name, arguments: args, ...(meta ? { _meta: meta } : {}) };
    return this.withSession(
      spec,
      callOptions,
      context,
      async (client, requestOptions) =>
        this.assertResultSize(
          (await client.callTool(params, CallToolResultSchema, requestOptions)) as CallToolResult,
          context,
        ),
      name,
    );
  }

  /**
   * With `verifyTools`, this listing is the session's check (no second tools/list): a live listing warms a
   * session completely, so the calls that follow do not wait for a check of their own.
   */
  async listTools(spec: ConnectionSpec, options: CallOptions): Promise<Tool[]> {
    const { verifyTools, ...listOptions } = options;
    return this.withSession(spec, listOptions, `tools/list on ${describeSpec(spec)}`, async (client, requestOptions, session) => {
      const tools = await listAllTools(client, requestOptions);
      if (verifyTools) {
        const verified = verifyTools(tools);
        session.verified = verified;
        await verified.catch((error: unknown) => {
          if (session.verified === verified) session.verified = undefined;
          throw error;
        });
      }
      return tools;
    });
  }

  /** Measures a fresh connect (initialize) without pooling it: used by "test connection" and certification. */
  async probeConnect(spec: ConnectionSpec, timeoutMs: number): Promise<{ ms: number; serverInfo: unknown; tools: Tool[] }> {
    const started = performance.now();
    const session = await this.connect(spec, timeoutMs);
    try {
      const ms = performance.now() - started;
      const { tools } = await session.client.listTools({}, { timeout: timeoutMs });
      return { ms, serverInfo: session.client.getServerVersion(), tools };
    } finally {
      await this.dispose(session, 'shutdown');
    }
  }

  private assertResultSize(result: CallToolResult, context: string): CallToolResult {
    const limit = this.options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
    if (bytes > limit)
      throw new McpCallError('protocol_error', `${context}: the result is ${bytes} bytes, more than the limit of ${limit} bytes`);
    return result;
  }

  /**
   * An unpooled session for measurements (certification, test connection); the caller must close() it.
   * The pool still owns it: close() of the pool ends it too, so no probe process outlives the worker.
   */
  async openProbe(spec: ConnectionSpec, timeoutMs: number): Promise<ProbeSession> {
    if (this.isShuttingDown) throw new McpCallError('transport_error', 'The worker is shutting down.');
    const started = performance.now();
    const session = await this.connect(spec, timeoutMs);
    const initializeMs = performance.now() - started;
    this.probes.add(session);
    const close = async () => {
      this.probes.delete(session);
      await this.dispose(session, 'shutdown');
    };
    return {
      client: session.client,
      initializeMs,
      pid: session.pid,
      close,
      async dropAbruptly() {
        // Ends the connection without a goodbye: the process is killed (stdio) or the transport closed without DELETE (http).
        session.client.onclose = undefined;
        if (session.pid !== null) process.kill(session.pid, 'SIGKILL');
        else await session.transport.close();
        await close();
      },
    };
  }

  /** Live sessions, for health and metrics. */
  stats(): { sessions: number; pids: number[] } {
    return { sessions: this.sessions.size, pids: [...this.settled.values()].map((s) => s.pid).filter((p): p is number => p !== null) };
  }

  async close(): Promise<void> {
    this.isShuttingDown = true;
    clearInterval(this.idleTimer);
    const all: Array<Promise<Session> | Session> = [...this.sessions.values(), ...this.probes];
    this.sessions.clear();
    this.probes.clear();
    await Promise.allSettled(all.map(async (p) => this.dispose(await p, 'shutdown')));
  }

  // ---------------------------------------------------------------------------------------------

  private readonly settled = new Map<string, Session>();
  private readonly probes = new Set<Session>();

  private async withSession<T>(
    spec: ConnectionSpec,
    options: CallOptions,
    context: string,
    fn: (client: Client, requestOptions: { timeout: number; signal?: AbortSignal; maxTotalTimeout: number }, session: Session) => Promise<T>,
    toolName?: string,
  ): Promise<T> {
    if (this.isShuttingDown) throw new McpCallError('transport_error', `${context}: the worker is shutting down`);
    let session: Session;
    try {
      session = await this.acquire(spec, options.timeoutMs);
    } catch (error) {
      throw classifyError(error, `${context} (connect)`);
    }
    session.inFlight++;
    session.lastUsed = Date.now();
    const requestOptions = {
      timeout: options.timeoutMs,
      maxTotalTimeout: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const started = Date.now();
    try {
      if (options.verifyTools) await this.passGate(session, options.verifyTools, requestOptions, toolName);
      const result = await fn(session.client, requestOptions, session);
      // A server that reports a failed connection reports the symptom (ECONNRESET); the refusal says why.
      if ((result as { isError?: unknown } | undefined)?.isError === true) this.assertNoEgressRefusal(session, started, context);
      return result;
    } catch (error) {
      const classified = classifyError(error, context);
      if (classified.errorClass === 'transport_error') {
        this.evict(session, 'dropped');
        const limit = this.limitHit(session);
        const tail = session.stderrTail.length ? `\nserver stderr: ${session.stderrTail.slice(-5).join(' | ')}` : '';
        if (limit) throw new McpCallError('transport_error', `${context}: ${limit}${tail}`, { cause: error });
        classified.message += tail;
      }
      if (classified.errorClass !== 'network_blocked') this.assertNoEgressRefusal(session, started, context);
      throw classified;
    } finally {
      session.inFlight--;
      session.lastUsed = Date.now();
    }
  }

  /**
   * The check is shared by the calls that start together on a new session. A refusal by a check made for an
   * earlier call is confirmed by a fresh one first (the change may have been approved since); a failed or
   * refusing check is asked again by the next call.
   */
  private async passGate(
    session: Session,
    verify: (tools: Tool[]) => Promise<ToolGate>,
    requestOptions: { timeout: number; signal?: AbortSignal; maxTotalTimeout: number },
    toolName: string | undefined,
  ): Promise<void> {
    const check = () => listAllTools(session.client, requestOptions).then(verify);
    const isCached = session.verified !== undefined;
    let verified = (session.verified ??= check());
    try {
      const gate = await verified;
      if (toolName === undefined) return;
      try {
        gate(toolName);
      } catch (refusal) {
        if (!isCached) throw refusal;
        if (session.verified === verified) session.verified = check();
        verified = session.verified ?? check();
        (await verified)(toolName);
      }
    } catch (error) {
      if (session.verified === verified) session.verified = undefined;
      throw error;
    }
  }

  private acquire(spec: ConnectionSpec, timeoutMs: number): Promise<Session> {
    const existing = this.sessions.get(spec.key);
    if (existing) return existing;
    const pending = this.connect(spec, timeoutMs).then(
      (session) => {
        this.settled.set(spec.key, session);
        return session;
      },
      (error: unknown) => {
        this.sessions.delete(spec.key);
        throw error;
      },
    );
    this.sessions.set(spec.key, pending);
    return pending;
  }

  private async connect(spec: ConnectionSpec, timeoutMs: number): Promise<Session> {
    const started = performance.now();
    const client = new Client(
      { name: this.options.clientName ?? 'manifold', version: this.options.clientVersion ?? '0.1.0' },
      { capabilities: {} },
    );
    if (spec.transport === 'http') await assertUrlAllowed(new URL(spec.url), this.options.network ?? {});
    const launch = spec.transport === 'stdio' ? await this.prepareStdio(spec) : undefined;
    const transport = this.createTransport(spec, launch);
    const session: Session = {
      key: spec.key,
      target: describeSpec(spec),
      client,
      transport,
      inFlight: 0,
      lastUsed: Date.now(),
      stderrTail: [],
      pid: null,
      closed: false,
      end: null,
      ...(launch?.limits ? { limits: launch.limits } : {}),
      ...(launch?.egress ? { egress: launch.egress } : {}),
    };
    if (transport instanceof StdioClientTransport) {
      transport.stderr?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          session.stderrTail.push(line.slice(0, 500));
          if (session.stderrTail.length > STDERR_TAIL_LINES) session.stderrTail.shift();
          this.options.onEvent?.({ type: 'stderr', key: spec.key, line });
        }
      });
    }
    client.onclose = () => this.evict(session, 'dropped');
    // A server that says its tools changed is checked again before the next call.
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      session.verified = undefined;
    });
    try {
      const connecting = client.connect(transport, { timeout: Math.min(timeoutMs, this.options.connectTimeoutMs ?? 30_000) });
      // The transport spawned its child synchronously inside connect(): watch how it ends (the SDK drops the exit code).
      childOf(transport)?.once('exit', (code, signal) => (session.end = { code, signal }));
      await connecting;
    } catch (error) {
      await transport.close().catch(() => undefined);
      await session.egress?.close().catch(() => undefined);
      if (error instanceof McpCallError) throw error; // e.g. network_blocked from the guarded fetch
      const limit = this.limitHit(session);
      const tail = session.stderrTail.length ? ` (server stderr: ${session.stderrTail.slice(-5).join(' | ')})` : '';
      throw new McpCallError(
        'transport_error',
        `could not connect to ${session.target}: ${limit ?? (error instanceof Error ? error.message : String(error))}${tail}`,
        { cause: error },
      );
    }
    session.pid = transport instanceof StdioClientTransport ? transport.pid : null;
    this.options.onEvent?.({ type: 'connected', key: spec.key, target: session.target, ms: performance.now() - started, pid: session.pid });
    return session;
  }

  /** Throws network_blocked (never retried) when the sandbox's egress proxy refused a connection during this call. */
  private assertNoEgressRefusal(session: Session, since: number, context: string): void {
    const refusals = session.egress?.refusalsSince(since) ?? [];
    if (refusals.length)
      throw new McpCallError('network_blocked', `${context}: the sandbox's egress proxy refused ${refusals.slice(-3).join('; ')}`);
  }

  private limitHit(session: Session): string | null {
    return session.limits ? describeLimitHit(session.limits, session.stderrTail, session.end) : null;
  }

  private sandboxProbe: Promise<SandboxProbe> | undefined;
  private hostLayout: HostLayout | undefined;
  private readonly warned = new Set<string>();

  private warnOnce(cause: string, message: string): void {
    if (this.warned.has(cause)) return;
    this.warned.add(cause);
    this.options.onEvent?.({ type: 'warning', message });
  }

  /** How a stdio server starts: inside its sandbox when the policy and the host allow, else as configured. */
  private async prepareStdio(spec: StdioSpec): Promise<StdioLaunch> {
    const [program, ...args] = spec.command;
    if (!program) throw new McpCallError('not_found', 'The server has no command to start.');
    const resolved = resolveProgram(program, this.options.programDirs ?? []);
    const sandbox = this.options.sandbox ?? { mode: 'off' };
    // The child gets a minimal environment plus exactly the declared variables, never the worker's own.
    const unsandboxed: StdioLaunch = { command: resolved, args, env: { ...spec.env }, ...(spec.cwd ? { cwd: spec.cwd } : {}) };
    if (sandbox.mode === 'off') return unsandboxed;
    this.sandboxProbe ??= Promise.resolve(sandbox.probe ?? probeSandbox({ tools: this.sandboxTools() }));
    const probe = await this.sandboxProbe;
    const why = !probe.available ? probe.reason : !spec.sandbox ? 'it has no sandbox policy' : null;
    if (why) {
      if (sandbox.mode === 'required')
        throw new McpCallError('config_error', `${describeSpec(spec)} was not started: stdio servers must run in a sandbox here, and ${why}.`);
      this.warnOnce(
        probe.available ? 'no-policy' : 'unavailable',
        `!!! STDIO MCP SERVERS RUN WITHOUT A SANDBOX: ${why}. They can read the worker's files and environment. ` +
          'Acceptable for development only; production (NODE_ENV=production) refuses this.',
      );
      return unsandboxed;
    }
    const policy = spec.sandbox!;
    let egress: EgressSession | undefined;
    if (policy.network.mode === 'egress') {
      if (!sandbox.egress)
        throw new McpCallError('config_error', `${describeSpec(spec)} was not started: its policy needs network egress, and no egress gateway is configured.`);
      egress = await sandbox.egress.open(spec.key, policy.network.allow);
    }
    const env = sandboxEnvironment(policy, spec.env ?? {});
    try {
      const argv = buildSandboxArgv(policy, resolved, args, env, {
        tools: this.sandboxTools(),
        isRoot: process.getuid?.() === 0,
        layout: (this.hostLayout ??= hostLayout()),
        programPaths: programMounts(resolved),
        ...(egress ? { extraBwrapArgs: egress.bwrapArgs, commandPrefix: egress.commandPrefix } : {}),
        // The SDK adds its default environment (HOME, USER …) to every child; the sandbox must not pass those on.
        unsetEnv: Object.keys(getDefaultEnvironment()),
      });
      return { command: argv[0]!, args: argv.slice(1), env, cwd: policy.folder, limits: policy.limits, ...(egress ? { egress } : {}) };
    } catch (error) {
      await egress?.close().catch(() => undefined);
      throw new McpCallError('config_error', `${describeSpec(spec)} was not started: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  private sandboxTools() {
    const sandbox = this.options.sandbox;
    return {
      bwrap: sandbox?.bwrapPath ?? DEFAULT_SANDBOX_TOOLS.bwrap,
      setpriv: sandbox?.setprivPath ?? DEFAULT_SANDBOX_TOOLS.setpriv,
      prlimit: sandbox?.prlimitPath ?? DEFAULT_SANDBOX_TOOLS.prlimit,
    };
  }

  private createTransport(spec: ConnectionSpec, launch: StdioLaunch | undefined): Transport {
    if (spec.transport === 'stdio' && launch) {
      return new StdioClientTransport({
        command: launch.command,
        args: launch.args,
        env: launch.env,
        ...(launch.cwd ? { cwd: launch.cwd } : {}),
        stderr: 'pipe',
      });
    }
    if (spec.transport === 'stdio') throw new Error('a stdio spec needs a launch');
    const headers = spec.headers ?? {};
    // Every request (and each redirect hop) is checked again: DNS answers can change after the first check.
    const guarded = guardedFetch(this.options.network ?? {});
    return new StreamableHTTPClientTransport(new URL(spec.url), {
      requestInit: { headers },
      // The bearer is added before the guard, so a cross-origin redirect strips it like any credential.
      fetch: spec.authorization ? bearerFetch(guarded, spec.authorization) : guarded,
    });
  }

  private evict(session: Session, reason: 'idle' | 'dropped' | 'shutdown'): void {
    if (session.closed) return;
    if (this.settled.get(session.key) === session) {
      this.settled.delete(session.key);
      this.sessions.delete(session.key);
    }
    void this.dispose(session, reason);
  }

  private async dispose(session: Session, reason: 'idle' | 'dropped' | 'shutdown'): Promise<void> {
    if (session.closed) return;
    session.closed = true;
    session.client.onclose = undefined;
    // Taken before the close: once the child exits, its own children are re-parented and could no longer be found.
    const tree = session.pid === null ? [] : descendantPids(session.pid);
    await session.client.close().catch(() => undefined);
    // The SDK ends the direct child (stdin EOF, SIGTERM, SIGKILL); make sure nothing it started outlives the session.
    if (session.pid !== null) await endProcesses([session.pid, ...tree]);
    await session.egress?.close().catch(() => undefined);
    this.options.onEvent?.({ type: 'closed', key: session.key, target: session.target, reason });
  }

  private async closeIdle(idleMs: number): Promise<void> {
    const now = Date.now();
    for (const session of [...this.settled.values()])
      if (session.inFlight === 0 && now - session.lastUsed > idleMs) this.evict(session, 'idle');
  }
}

/** The child process of a stdio transport (a private field of the SDK's transport; undefined if that ever changes). */
function childOf(transport: Transport): ChildProcess | undefined {
  return transport instanceof StdioClientTransport ? (transport as unknown as { _process?: ChildProcess })._process : undefined;
}

async function listAllTools(client: Client, requestOptions: { timeout: number; signal?: AbortSignal; maxTotalTimeout: number }) {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, requestOptions);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}
