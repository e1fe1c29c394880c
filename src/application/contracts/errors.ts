import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../../errors/catalogue.js';

export const errorBodySchema = z
  .object({
    error: z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]),
    detail: z.string(),
  })
  .loose()
  .meta({ id: 'Error' });
