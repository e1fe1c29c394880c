import { z } from 'zod';
import { MAX_STAY_MINUTES } from '../../domain/restaurants/restaurant.js';
import { entityIdSchema, serviceWindowSchema, textSchema, timeZoneSchema } from './fields.js';
import { channelsOutSchema, channelsSchema, noShowAfterMinutesSchema, pacingOutSchema, pacingSchema } from './settings.js';

const windows = z.array(serviceWindowSchema).max(12).optional();

const stay = z.int().positive().multipleOf(15).max(MAX_STAY_MINUTES);

/** Parties of `threshold` or more wait for approval, holding their seats for `holdMinutes`. */
const largeGroups = z.object({
  threshold: z.int().min(2).max(10_000),
  holdMinutes: z
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

/**
 * Stay length by party size: `{ rules: [{ upTo: 2, minutes: 75 }, …], otherwise: 150 }`; with
 * `learned: true`, the learned turn times where a cell has `minSamples` samples, the rules elsewhere.
 */
const durationRules = z
  .object({
    rules: z.array(z.object({ upTo: z.int().positive(), minutes: stay })).max(20),
    otherwise: stay,
    learned: z.boolean().optional(),
    minSamples: z.int().min(1).max(10_000).optional(),
  })
  .refine((value) => new Set(value.rules.map((rule) => rule.upTo)).size === value.rules.length, {
    message: 'each rule needs its own upTo',
  });

export const restaurantInputSchema = z.object({
  id: entityIdSchema,
  name: textSchema.trim().min(1).max(200),
  timezone: timeZoneSchema,
  windows,
  durationRange: z
    .object({
      min: z.int().positive().multipleOf(15),
      max: z.int().positive().multipleOf(15).max(MAX_STAY_MINUTES),
    })
    .refine((range) => range.min <= range.max, { message: 'min must not exceed max' })
    .optional(),
  durationRules: durationRules.optional(),
  largeGroups: largeGroups.optional(),
  /** Whether anyone may discover and book without signing in; default true. */
  publicBooking: z.boolean().optional(),
  /** Covers per 15-minute interval across every sector (SPEC §9). */
  pacing: pacingSchema.optional(),
  /** Minutes after its start an unseated booking becomes a no-show (default 15). */
  noShowAfterMinutes: noShowAfterMinutesSchema.optional(),
});
export type RestaurantInput = z.output<typeof restaurantInputSchema>;

export const sectorInputSchema = z.object({
  id: entityIdSchema,
  restaurantId: entityIdSchema,
  name: textSchema.trim().min(1).max(200),
  windows,
  /** Covers per 15-minute interval in this sector. */
  pacing: pacingSchema.optional(),
  /** The channels its tables are open to unless a table says otherwise (default all three). */
  channels: channelsSchema.optional(),
});
export type SectorInput = z.output<typeof sectorInputSchema>;

const seats = z.int().positive().max(1000);

/** Accepts `minSize`/`maxSize` or the seed's `capacityMin`/`capacityMax`. */
export const tableInputSchema = z
  .object({
    id: entityIdSchema,
    sectorId: entityIdSchema,
    name: textSchema.trim().min(1).max(200).optional(),
    minSize: seats.optional(),
    maxSize: seats.optional(),
    capacityMin: seats.optional(),
    capacityMax: seats.optional(),
    /** The channels it is open to; absent: its sector's, or all three. */
    channels: channelsSchema.optional(),
  })
  .transform(({ capacityMin, capacityMax, ...table }, context) => {
    const minSize = table.minSize ?? capacityMin;
    const maxSize = table.maxSize ?? capacityMax;
    if (minSize === undefined || maxSize === undefined) {
      context.addIssue({ code: 'custom', message: 'minSize and maxSize (or capacityMin and capacityMax) are required' });
      return z.NEVER;
    }
    if (minSize > maxSize) {
      context.addIssue({ code: 'custom', message: 'minSize must not exceed maxSize', path: ['minSize'] });
      return z.NEVER;
    }
    return {
      id: table.id,
      sectorId: table.sectorId,
      name: table.name ?? table.id,
      minSize,
      maxSize,
      ...(table.channels === undefined ? {} : { channels: table.channels }),
    };
  });
export type TableInput = z.output<typeof tableInputSchema>;

const audit = { createdAt: z.string(), updatedAt: z.string() };

export const restaurantViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    windows: z.array(serviceWindowSchema).optional(),
    durationRange: z.object({ min: z.int(), max: z.int() }),
    durationRules: durationRules.optional(),
    largeGroups: largeGroups.optional(),
    publicBooking: z.boolean().optional(),
    pacing: pacingOutSchema.optional(),
    noShowAfterMinutes: z.int().optional(),
    ...audit,
  })
  .meta({ id: 'Restaurant' });

export const sectorViewSchema = z
  .object({
    id: z.string(),
    restaurantId: z.string(),
    name: z.string(),
    windows: z.array(serviceWindowSchema).optional(),
    pacing: pacingOutSchema.optional(),
    channels: channelsOutSchema.optional(),
    ...audit,
  })
  .meta({ id: 'Sector' });

export const tableViewSchema = z
  .object({
    id: z.string(),
    sectorId: z.string(),
    name: z.string(),
    minSize: z.int(),
    maxSize: z.int(),
    channels: channelsOutSchema.optional(),
    ...audit,
  })
  .meta({ id: 'Table' });

export const seedResultSchema = z.object({ created: z.array(z.string()), existing: z.array(z.string()) });
export type SeedResult = z.infer<typeof seedResultSchema>;

export const adminInfoSchema = z.object({
  service: z.literal('wokibrain'),
  version: z.string(),
  store: z.string(),
  startedAt: z.string(),
  counts: z.object({ restaurants: z.int(), sectors: z.int(), tables: z.int(), bookings: z.int() }),
});
export type AdminInfo = z.infer<typeof adminInfoSchema>;
