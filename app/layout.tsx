import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '@/components/trpc/providers';
import { THEME_SCRIPT } from '@/components/shell/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Switchback', template: '%s · Switchback' },
  description: 'Operations console: see the layered service platform live and change it safely.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (proxy.ts): without it the browser refuses this inline script. Reading
  // it makes every page render per request, which a nonce needs anyway.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // The inline script sets data-theme before paint, so React must not complain it differs.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Browsers hide a nonce from the DOM after load, so the client never sees the same value. */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
