import type { Metadata } from 'next';
import { NeedAdmin } from '@/components/pages/need-admin';
import { WebhooksPage } from '@/components/webhooks/webhooks-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Webhooks' };

export default async function Page() {
  const user = await requireUser('/settings/webhooks');
  // Decided on the server: a non-admin gets an explanation, never the page or a failed query.
  if (user.role !== 'admin') return <NeedAdmin role={user.role} what="manage webhooks" />;
  return <WebhooksPage />;
}
