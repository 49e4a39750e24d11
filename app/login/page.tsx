import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { currentUser, safeNext } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = await safeNext((await searchParams).next);
  // Already signed in (e.g. a bookmarked /login): go straight on.
  if (await currentUser()) redirect(next);
  return <LoginForm next={next} />;
}
