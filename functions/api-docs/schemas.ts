import * as z from 'zod/mini';
import type { OperationSchemas } from '../../shared/http/api-handler.js';

export const apiDocsSchemas = {
  getOpenApi: { response: z.record(z.string(), z.unknown()) },
} as const satisfies OperationSchemas<'api-docs'>;
