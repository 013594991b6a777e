/**
 * What a person's own activity says about the services they need: the items they viewed
 * (footprints) and saved (favourites), most recent first. The user center (GB/T 39047 6.1.10)
 * owns that data; recommendations read it through this seam and work without it.
 */
export interface PersonalSignals {
  itemCodesOf(subject: string): Promise<readonly string[]>;
}

/** No personal data: recommendations rest on the region's popularity and life events alone. */
export const noPersonalSignals: PersonalSignals = {
  itemCodesOf: async () => [],
};
