'use client';

import { Button } from '@/components/ui/button';

/** A render error in a console page: said in words, with a retry; the shell stays usable. */
export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1>This page could not be shown</h1>
      <p role="alert">Something went wrong while showing this page. Try again; if it keeps happening, the server log has the details.</p>
      <Button variant="primary" onClick={reset}>
        Try again
      </Button>
    </>
  );
}
