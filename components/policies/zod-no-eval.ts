// The console's Content-Security-Policy allows no eval. zod compiles object parsers with
// `new Function` when it may, and probes for that when an object schema is built — a probe the
// browser reports as a CSP violation even though zod catches it. Imported before any schema
// module, so it is set before the first schema is built; interpreted parsing is plenty for a form.
import { z } from 'zod';

z.config({ jitless: true });
