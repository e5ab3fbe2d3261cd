// Prisma 7 runtime config: used only to generate the client (migrations run through prisma/migrator).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../../prisma/schema',
  migrations: { path: '../../prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://placeholder@127.0.0.1:5432/placeholder' },
});
