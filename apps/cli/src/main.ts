#!/usr/bin/env -S npx tsx
// `manifold` — the command line: seed the catalog, bootstrap a user/team/API key for automation.
import { parseArgs } from 'node:util';
import { isAppError } from '@manifold/core';
import { createDatabase, createSystemDatabase } from '@manifold/db';
import { createKeyringWrapper, requireKeyring } from '@manifold/secrets';
import { createSecretVault, createServices, createTemporalGateway, seedPublicCatalog } from '@manifold/services';
import { cliConfig } from './config';

const USAGE = `usage: npm run manifold -- <command> [options]

commands:
  seed                                   add or update the public server catalog
  bootstrap --email E --password P --team NAME [--json]
                                         create (or reuse) a user and team and print a new API key
  secrets rotate-master-key              re-wrap every team data key under the newest key of MANIFOLD_MASTER_KEYS
                                         (online: app and worker keep running; then the old key can be removed)
  secrets rotate-team-key --team ID      new data key for one team; re-encrypts all its secret versions`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const databaseUrl = cliConfig.databaseUrl;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set: run through `npm run manifold -- …` from the repository root.');
    return 2;
  }
  const db = createDatabase(databaseUrl, { maxConnections: 2 });
  try {
    switch (command) {
      case 'seed': {
        const system = createSystemDatabase(databaseUrl);
        const count = await seedPublicCatalog(system).finally(() => system.$disconnect());
        console.log(`Seeded ${count} public catalog servers.`);
        return 0;
      }
      case 'bootstrap': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            password: { type: 'string' },
            team: { type: 'string' },
            json: { type: 'boolean', default: false },
          },
        });
        if (!values.email || !values.password || !values.team) {
          console.error(USAGE);
          return 2;
        }
        const temporal = createTemporalGateway(cliConfig.temporal);
        const services = createServices({ db, temporal });
        const result = await services.identity.bootstrap({ email: values.email, password: values.password, teamName: values.team });
        if (values.json) console.log(JSON.stringify({ teamId: result.teamId, apiKey: result.apiKey }));
        else console.log(`Team ${result.teamId}\nAPI key (shown once): ${result.apiKey}`);
        return 0;
      }
      case 'secrets': {
        const [action, ...options] = rest;
        const keyring = requireKeyring(cliConfig.keyring());
        const vault = createSecretVault({ db, keyWrapper: createKeyringWrapper(keyring) });
        if (action === 'rotate-master-key') {
          const result = await vault.rotateMasterKey();
          console.log(
            `Re-wrapped ${result.rewrapped} team data key(s) of ${result.teams} team(s) under master key "${keyring.currentId}".`,
          );
          return 0;
        }
        if (action === 'rotate-team-key') {
          const { values } = parseArgs({ args: options, options: { team: { type: 'string' } } });
          if (!values.team) {
            console.error(USAGE);
            return 2;
          }
          const result = await vault.rotateTeamKey(values.team, { type: 'system', id: 'cli' });
          console.log(`Team ${values.team}: data key version ${result.version}, ${result.reencrypted} secret version(s) re-encrypted.`);
          return 0;
        }
        console.error(USAGE);
        return 2;
      }
      default:
        console.error(USAGE);
        return command ? 2 : 0;
    }
  } catch (error) {
    if (isAppError(error)) {
      console.error(
        `${error.message}${error.options.fieldErrors ? ` (${error.options.fieldErrors.map((f) => `${f.path}: ${f.message}`).join('; ')})` : ''}`,
      );
      return 1;
    }
    if (error instanceof Error && (error.name === 'KeyringError' || error.name === 'DecryptionError')) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main(process.argv.slice(2));
