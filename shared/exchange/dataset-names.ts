/**
 * The datasets platforms exchange (GB/T 39047 §6.3.5). Apart from their rules (datasets.ts), so
 * message and API schemas can name them without carrying the code tables.
 */
export const DATASET_NAMES = ['items', 'cases', 'certificates', 'evaluations'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
