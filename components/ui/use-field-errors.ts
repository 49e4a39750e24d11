import { useMemo } from 'react';
import { fieldErrorsOf, type FieldErrors } from '@/components/trpc/errors';

/**
 * Field-by-field messages from a mutation's error (`error.data.fieldErrors`, filled from zod
 * or from a domain error by the server's errorFormatter), for <Field error={of('name')}>.
 */
export function useFieldErrors(error: unknown): { all: FieldErrors; of: (field: string) => string[] | undefined; any: boolean } {
  return useMemo(() => {
    const all = fieldErrorsOf(error);
    return { all, of: (field: string) => all[field], any: Object.keys(all).length > 0 };
  }, [error]);
}
