/**
 * Imported first by each entry (the page, the training worker), before any module defines a schema:
 * zod 4 decides at schema construction whether to compile a validator with `new Function`, which a
 * strict Content-Security-Policy (no 'unsafe-eval') refuses and reports as a violation.
 */
import { config } from 'zod';

config({ jitless: true });
