/**
 * Which catalog item codes exist (national basic catalog items, e.g. SC-XK-0001): the referential
 * check of exchanged records against the catalog. Narrow on purpose, so the exchange depends on
 * nothing else of the catalog.
 */
export interface ItemCodes {
  exists(code: string): Promise<boolean>;
}
