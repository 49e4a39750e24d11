import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { currentUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';

/**
 * Resolves the session on the server for every console page. Signed out, it renders the page
 * bare: each page calls requireUser(its path), which redirects to /login?next=<that path>
 * (a layout cannot know the URL, so the redirect with `next` lives in the page).
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) return <>{children}</>;
  return <AppShell user={user}>{children}</AppShell>;
}
