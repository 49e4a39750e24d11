import type { Metadata } from 'next';
import { TokensPage } from '@/components/tokens/tokens-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API tokens' };

export default async function Page() {
  await requireUser('/settings/tokens');
  return <TokensPage />;
}
