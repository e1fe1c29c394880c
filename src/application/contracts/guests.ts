import { z } from 'zod';
import { entityIdSchema, queryLimitSchema, textSchema } from './fields.js';

export const guestSearchQuerySchema = z.object({
  restaurantId: entityIdSchema,
  /** Part of a name, an email or a phone's digits; none: the latest profiles. */
  query: textSchema.trim().max(100).optional(),
  limit: queryLimitSchema,
});
export type GuestSearchQuery = z.output<typeof guestSearchQuerySchema>;

export const guestIdParamsSchema = z.object({ id: entityIdSchema });

const tagSchema = textSchema
  .trim()
  .min(1)
  .max(40)
  .transform((tag) => tag.toLowerCase());

/** What staff may change on a profile; `null` clears notes. Tags replace the whole list. */
export const guestPatchSchema = z
  .strictObject({
    name: textSchema.trim().min(1).max(200).optional(),
    tags: z
      .array(tagSchema)
      .max(30)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    notes: textSchema.max(2000).nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'give at least one field to change' });
export type GuestPatch = z.output<typeof guestPatchSchema>;

/** Folds the profile `from` into the one in the path: one guest who had come with two contacts. */
export const guestMergeBodySchema = z.strictObject({ from: entityIdSchema });
export type GuestMergeBody = z.output<typeof guestMergeBodySchema>;

const guestBookingSchema = z.object({
  id: z.string(),
  date: z.string(),
  start: z.string(),
  partySize: z.int(),
  status: z.string(),
});

export const guestViewSchema = z.object({
  id: z.string(),
  restaurantId: z.string(),
  name: z.string().optional(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  tags: z.array(z.string()),
  notes: z.string().optional(),
  visits: z.int(),
  cancellations: z.int(),
  noShows: z.int(),
  upcoming: z.int(),
  lastVisitAt: z.string().optional(),
  /** Profiles merged into this one. */
  mergedIds: z.array(z.string()),
  /** When the guest's personal data was erased. */
  erasedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The latest bookings (up to 20), on the profile read only. */
  bookings: z.array(guestBookingSchema).optional(),
});
export type GuestView = z.output<typeof guestViewSchema>;

export const guestListSchema = z.object({ items: z.array(guestViewSchema) });

/** What the host sees of a party's guest when seating it. */
export const guestBriefSchema = z.object({ id: z.string(), visits: z.int(), noShows: z.int(), tags: z.array(z.string()) });
export type GuestBrief = z.output<typeof guestBriefSchema>;
