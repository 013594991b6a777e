/** Dotted paths into record data ("applicant.idNumber"): how datasets name nested fields. */

export function getPath(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), data);
}

/** sets a field, creating the objects on the way */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** removes a field and returns its value (undefined when it was not there) */
export function takePath(target: Record<string, unknown>, path: string): unknown {
  const parts = path.split('.');
  const last = parts.pop()!;
  const holder = parts.length === 0 ? target : getPath(target, parts.join('.'));
  if (typeof holder !== 'object' || holder === null) return undefined;
  const value = (holder as Record<string, unknown>)[last];
  delete (holder as Record<string, unknown>)[last];
  return value;
}
