// Zod compiles parsers with new Function() unless told not to; the page's CSP forbids eval, and zod's probe for
// it would be reported as a violation in the console. Imported first by main.tsx, before any schema is built.
import { z } from 'zod';

z.config({ jitless: true });
