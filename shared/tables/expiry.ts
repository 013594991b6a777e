/**
 * Item expiry in the DynamoDB TTL convention: the TTL attribute holds epoch seconds (a number)
 * and the item is expired once that moment has passed. DynamoDB deletes expired items only
 * eventually (the local sweeper too), so domain reads check expiry themselves.
 */

/** true when the item's TTL attribute is a number of epoch seconds before `now`; items without one never expire */
export function isExpired(item: object | undefined, ttlAttribute: string, now: Date): boolean {
  const ttl = (item as Record<string, unknown> | undefined)?.[ttlAttribute];
  return typeof ttl === 'number' && ttl * 1000 < now.getTime();
}

/** the TTL value for an item that must live at least `seconds` from `now` (epoch seconds, rounded up) */
export function ttlFromNow(now: Date, seconds: number): number {
  return Math.ceil(now.getTime() / 1000) + seconds;
}
