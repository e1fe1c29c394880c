import { z } from 'zod';
import { bookingViewSchema } from './bookings.js';

export const bookingHistorySchema = z
  .object({
    bookingId: z.string(),
    events: z.array(
      z.object({
        position: z.int(),
        version: z.int(),
        type: z.string(),
        recordedAt: z.string(),
        actor: z.string(),
        requestId: z.string().optional(),
        booking: bookingViewSchema,
      }),
    ),
  })
  .meta({ id: 'BookingHistory' });
export type BookingHistory = z.infer<typeof bookingHistorySchema>;
