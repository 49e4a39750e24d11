import Link from 'next/link';

/** What a non-admin sees on an admin page: why, and where to go instead (not a crash). */
export function NeedAdmin({ role, what }: { role: string; what: string }) {
  return (
    <>
      <h1>Admins only</h1>
      <p role="alert">You need the admin role to {what}. You are signed in as {role}.</p>
      <p>
        Ask an admin to change your role, or go back to the <Link href="/">overview</Link>.
      </p>
    </>
  );
}
