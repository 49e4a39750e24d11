import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/trpc/providers';
import { THEME_SCRIPT } from '@/components/shell/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Switchback', template: '%s · Switchback' },
  description: 'Operations console: see the layered service platform live and change it safely.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The inline script sets data-theme before paint, so React must not complain it differs.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
