import { catalogRepository } from '../catalog/catalog-repository.js';
import type { ItemCodes } from '../ports/item-codes.js';
import type { Tables } from '../ports/tables.js';

/**
 * Item codes as the catalog table knows them: a code exists when its basic item has a published
 * version (an item still in draft is not yet something a platform can implement or handle).
 */
export function catalogItemCodes(tables: Tables): ItemCodes {
  // built on first use: functions that never check item codes hold no grant on the catalog table
  let basicItems: ReturnType<typeof catalogRepository>['basicItems'] | undefined;
  return {
    async exists(code) {
      basicItems ??= catalogRepository(tables).basicItems;
      return (await basicItems.head(code))?.publishedVersion !== undefined;
    },
  };
}
