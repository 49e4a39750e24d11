import { defineConfig } from 'prisma/config';

// Prisma 7 reads the URL from here. `env()` would throw when DATABASE_URL is unset, even for
// `prisma generate`, which needs no database: fall back to a placeholder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/unused' },
});
