// Types of ports.mjs for the TypeScript callers (the worker's REST benchmark).
export function isPortFree(port: number, host?: string): Promise<boolean>;
export function assertPortsFree(wanted: Array<{ port: number; what: string; setting: string }>): Promise<void>;
export function findFreePorts(count: number): Promise<number[]>;
