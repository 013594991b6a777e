/**
 * Attribute names of the table keys, shared by the CDK stack and the local table creation so
 * both worlds build the same tables. Repositories fill these attributes through their own key
 * builders; nothing else should read them.
 */
export const PRIMARY_KEY = { pk: 'pk', sk: 'sk' } as const;

/** key attributes of a global secondary index: gsi1 -> gsi1pk / gsi1sk */
export function indexKeys<N extends string>(indexName: N): { readonly pk: `${N}pk`; readonly sk: `${N}sk` } {
  return { pk: `${indexName}pk`, sk: `${indexName}sk` };
}
