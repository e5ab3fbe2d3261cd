// `npm run bench:secrets -w @manifold/worker`: what just-in-time secret resolution adds to a tool call
// (one transaction reading the current versions + team key, unwrap, AES-GCM decrypt, optional audit insert),
// against a fresh Postgres database. Prints a table; asserts nothing.
import { randomBytes } from 'node:crypto';
import { createDatabase, createUserWithTeam } from '@manifold/db';
import { createKeyringWrapper, createRedactor, parseKeyring } from '@manifold/secrets';
import { createSecretVault, createServices } from '@manifold/services';
import { createTestDatabase } from '@manifold/testing';
import { ms, percentile, printTable } from './stats';

const ITERATIONS = Number(process.env.BENCH_SECRET_RESOLVES ?? 500);

async function main() {
  const database = await createTestDatabase();
  const db = createDatabase(database.url, { maxConnections: 4 });
  try {
    const keyWrapper = createKeyringWrapper(parseKeyring(`b1:${randomBytes(32).toString('base64')}`));
    const vault = createSecretVault({ db, keyWrapper });
    const services = createServices({ db, temporal: undefined as never, keyWrapper });
    const { userId, teamId } = await createUserWithTeam(db, { email: 'bench@example.test', passwordHash: 'x', teamName: 'bench' });
    const team = { teamId, actor: { type: 'user' as const, id: userId } };
    await services.secrets.create(team, { name: 'TOKEN_A', value: randomBytes(24).toString('base64') });
    await services.secrets.create(team, { name: 'TOKEN_B', value: randomBytes(24).toString('base64') });

    const measure = async (fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await fn(i); // warm-up
      const samples: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const started = performance.now();
        await fn(i);
        samples.push(performance.now() - started);
      }
      return [ms(percentile(samples, 50)), ms(percentile(samples, 99))];
    };
    const rows = [
      ['resolve 2 secrets (no audit: step already recorded)', ...(await measure(() => vault.resolve(teamId, ['TOKEN_A', 'TOKEN_B'])))],
      [
        'resolve 2 secrets + 2 audit rows (first use in a step)',
        ...(await measure((i) => vault.resolve(teamId, ['TOKEN_A', 'TOKEN_B'], { runId: `r${i}`, stepKey: 's', server: 'x' }))),
      ],
      ['seal a new version value (unwrap + encrypt + fingerprint)', ...(await measure(() => vault.seal(teamId, 'id', 1, 'value-to-seal')))],
    ];
    const redactor = createRedactor(['TOKEN_A-value-xyz', 'TOKEN_B-value-abc']);
    const output = {
      content: [{ type: 'text', text: 'x'.repeat(4000) }],
      structuredContent: { items: Array.from({ length: 50 }, (_, i) => ({ i, v: 'abc' })) },
    };
    rows.push(['redact a 4 kB tool output (2 values)', ...(await measure(async () => redactor.redact(output)))]);
    printTable(`Secret resolution (${ITERATIONS} iterations each)`, ['operation', 'p50', 'p99'], rows);
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}

await main();
