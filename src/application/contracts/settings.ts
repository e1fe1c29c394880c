import { z } from 'zod';
import { CHANNELS } from '../../domain/restaurants/restaurant.js';
import { calendarDateSchema, entityIdSchema } from './fields.js';

/** The largest pacing cap: covers in 15 minutes. */
const MAX_COVERS_PER_INTERVAL = 10_000;

const cap = z.int().positive().max(MAX_COVERS_PER_INTERVAL);

/** SPEC §9 pacing: covers whose stay starts in one 15-minute interval. */
export const pacingSchema = z
  .strictObject({
    maxCoversPerInterval: cap,
    /** Online bookings count against the smaller of this and the cap of the date. */
    onlineMaxCoversPerInterval: cap.optional(),
    /** Per date, a cap that replaces `maxCoversPerInterval`. */
    overrides: z
      .array(z.strictObject({ date: calendarDateSchema, maxCoversPerInterval: cap }))
      .max(366)
      .optional(),
  })
  .refine((pacing) => pacing.onlineMaxCoversPerInterval === undefined || pacing.onlineMaxCoversPerInterval <= pacing.maxCoversPerInterval, {
    message: 'onlineMaxCoversPerInterval must not exceed maxCoversPerInterval',
    path: ['onlineMaxCoversPerInterval'],
  })
  .refine((pacing) => new Set(pacing.overrides?.map((override) => override.date)).size === (pacing.overrides?.length ?? 0), {
    message: 'each override needs its own date',
    path: ['overrides'],
  });

/** A non-empty set of channels, kept in the canonical order. */
export const channelsSchema = z
  .array(z.enum(CHANNELS))
  .min(1)
  .max(CHANNELS.length)
  .refine((channels) => new Set(channels).size === channels.length, { message: 'each channel once' })
  .transform((channels) => CHANNELS.filter((channel) => channels.includes(channel)));

/** Minutes after its start an unseated booking becomes a no-show. */
export const noShowAfterMinutesSchema = z.int().min(1).max(240);

const atLeastOne = (patch: object) => Object.values(patch).some((value) => value !== undefined);
const somethingToChange = { message: 'give at least one field to change' };

export const restaurantPatchSchema = z
  .strictObject({ pacing: pacingSchema.nullable().optional(), noShowAfterMinutes: noShowAfterMinutesSchema.optional() })
  .refine(atLeastOne, somethingToChange);
export type RestaurantPatch = z.output<typeof restaurantPatchSchema>;

export const sectorPatchSchema = z
  .strictObject({ pacing: pacingSchema.nullable().optional(), channels: channelsSchema.nullable().optional() })
  .refine(atLeastOne, somethingToChange);
export type SectorPatch = z.output<typeof sectorPatchSchema>;

export const tablePatchSchema = z.strictObject({ channels: channelsSchema.nullable().optional() }).refine(atLeastOne, somethingToChange);
export type TablePatch = z.output<typeof tablePatchSchema>;

export const settingsIdParamsSchema = z.object({ id: entityIdSchema });

/** As answers carry them. */
export const pacingOutSchema = z.object({
  maxCoversPerInterval: z.int(),
  onlineMaxCoversPerInterval: z.int().optional(),
  overrides: z.array(z.object({ date: z.string(), maxCoversPerInterval: z.int() })).optional(),
});
export const channelsOutSchema = z.array(z.enum(CHANNELS));
