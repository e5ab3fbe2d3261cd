// Prisma 6.19 CLI in adapter mode: the WebAssembly schema engine runs migrations without downloading a
// native engine (this machine has no internet). Two gaps of that mode are closed here; see README "Database".
import { randomUUID } from 'node:crypto';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is not set: run this through `npm run db:*` from the repository root.');

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };
type Queryable = { performIO(query: unknown): Promise<QueryResultLike>; __manifoldCharPatch?: true };

/** Introspection reads pg_catalog "char" columns, which adapter-pg cannot decode: report them as text. */
function reportCharColumnsAsText<T extends object>(connection: T): T {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(connection)) as Queryable;
  if (proto.__manifoldCharPatch) return connection;
  const performIO = proto.performIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  proto.__manifoldCharPatch = true;
  return connection;
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

/**
 * adapter-pg runs a migration script by splitting it at every ";", which breaks dollar-quoted bodies (DO
 * blocks, functions). Postgres' simple query protocol takes the whole script at once, as psql would send it.
 */
function runScriptsWhole<T extends object>(connection: T): T {
  const runner = connection as unknown as ScriptRunner;
  runner.executeScript = async (script: string) => {
    try {
      await runner.client.query(script);
    } catch (error) {
      runner.onError(error);
    }
  };
  return connection;
}

/** adapter-pg's own shadow database is really the main one; use a throw-away database instead. */
class MigratorAdapter extends PrismaPg {
  override async connect() {
    return runScriptsWhole(reportCharColumnsAsText(await super.connect()));
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const name = `manifold_shadow_${randomUUID().replaceAll('-', '')}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${name}`;
    const shadow = runScriptsWhole(
      reportCharColumnsAsText(await new PrismaPg({ connectionString: url.toString(), allowExitOnIdle: true }).connect()),
    );
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'schema',
  migrations: { path: '../migrations' },
  async adapter() {
    return new MigratorAdapter({ connectionString: databaseUrl, allowExitOnIdle: true });
  },
});
