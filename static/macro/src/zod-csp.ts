/**
 * Zod compiles fast parsers with `new Function` unless told not to, and merely probing for that breaks Forge's
 * Content-Security-Policy (no 'unsafe-eval'): the browser reports the violation even though zod catches it. The probe
 * runs when the first object schema is built, so this module must be evaluated before any schema module: it is the
 * first import of every module that builds or uses schemas.
 */
import { z } from 'zod';

z.config({ jitless: true });
