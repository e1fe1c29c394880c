import { CHANNELS, type Channel, type Sector, type Table } from './restaurant.js';

/** The channels a table is open to: its own, else its sector's, else all three (SPEC §9). */
export function channelsOf(sector: Pick<Sector, 'channels'>, table: Pick<Table, 'channels'>): readonly Channel[] {
  return table.channels ?? sector.channels ?? CHANNELS;
}

/** Whether anything in the sector is closed to some channel: when not, every table is open to every channel. */
export function restrictsChannels(sector: Pick<Sector, 'channels'>, tables: readonly Pick<Table, 'channels'>[]): boolean {
  const full = (channels: readonly Channel[] | undefined) => channels === undefined || CHANNELS.every((c) => channels.includes(c));
  return !full(sector.channels) || tables.some((table) => !full(table.channels));
}

/** The tables of the sector open to the channel, in their order. */
export function tablesOpenTo<T extends Pick<Table, 'channels'>>(
  sector: Pick<Sector, 'channels'>,
  tables: readonly T[],
  channel: Channel,
): T[] {
  return tables.filter((table) => channelsOf(sector, table).includes(channel));
}
