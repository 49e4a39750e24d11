import type { Metadata } from 'next';
import { SettingsPage } from '@/components/settings/settings-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Settings' };

export default async function Page() {
  await requireUser('/settings');
  return <SettingsPage />;
}
