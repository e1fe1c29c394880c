import type { Restaurant, Sector } from '../domain/restaurants/restaurant.js';
import { AppError } from '../errors/catalogue.js';
import type { ReadModel } from './ports/readModel.js';

export async function requireRestaurant(reads: ReadModel, restaurantId: string): Promise<Restaurant> {
  const restaurant = await reads.restaurant(restaurantId);
  if (!restaurant) throw new AppError('not_found', `restaurant ${restaurantId} does not exist`);
  return restaurant;
}

/** A sector of another restaurant is as absent as one that does not exist; with the sector's revision, read with both. */
export async function requireSectorOf(
  reads: ReadModel,
  restaurantId: string,
  sectorId: string,
): Promise<{ restaurant: Restaurant; sector: Sector; revision: number }> {
  const { restaurant, sector } = await reads.restaurantAndSector(restaurantId, sectorId);
  if (!restaurant) throw new AppError('not_found', `restaurant ${restaurantId} does not exist`);
  if (!sector || sector.sector.restaurantId !== restaurantId) {
    throw new AppError('not_found', `sector ${sectorId} does not exist in restaurant ${restaurantId}`);
  }
  return { restaurant, ...sector };
}
