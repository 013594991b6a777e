import { ulid } from 'ulid';
import type { Principal } from '../auth/principal.js';
import { forbidden, invalidField, notFound } from '../errors.js';
import { NATIONAL } from '../regions/region-codes.js';
import { announceChanges } from './catalog-changes.js';
import { assertMayActFor, catalogEditor, type CatalogEditor } from './catalog-editor.js';
import type { Policy } from './catalog-model.js';
import type { CatalogRepository } from './catalog-repository.js';
import { versionState, type CatalogWriteDependencies, type VersionState } from './catalog-writes.js';
import { assertKnownRegion } from './create-implementation.js';

export type PolicyFields = Omit<Policy, 'id'>;

/** Admins publish for any region or nationally; staff for regions their agency serves. */
export function assertMayPublishPolicy(editor: CatalogEditor, region: string, owner: string | undefined): void {
  if (editor.isAdmin) return;
  if (region === NATIONAL) throw forbidden('National policies are published by administrators', 'admin_only');
  assertMayActFor(editor, owner ?? editor.agency!, region);
}

export async function assertPolicyFields(catalog: CatalogRepository, fields: PolicyFields): Promise<void> {
  if (fields.region !== NATIONAL) assertKnownRegion(fields.region);
  const published = new Set((await catalog.basicItems.heads(fields.relatedItems)).filter((head) => head.published).map((head) => head.key));
  const unknown = fields.relatedItems.filter((code) => !published.has(code));
  if (unknown.length > 0) throw invalidField('relatedItems', `are not published basic items: ${unknown.join(', ')}`);
}

/**
 * Publishes a policy document (政策文件, GB/T 39047 6.1.4).
 * 1. administrators for any region or nationally, staff for their agency's region (403);
 * 2. the region must be 'national' or a GB/T 2260 code, related items published basic items (422);
 * 3. version 1 is written and published at once (a policy is issued, not drafted here);
 * 4. the publication is announced to the indexer, so the policy becomes searchable.
 */
export async function createPolicy(deps: CatalogWriteDependencies, input: { principal: Principal | undefined; fields: PolicyFields }): Promise<VersionState & { id: string }> {
  const editor = catalogEditor(input.principal);
  assertMayPublishPolicy(editor, input.fields.region, undefined);
  await assertPolicyFields(deps.catalog, input.fields);
  const id = `POL-${ulid()}`;
  const now = deps.clock.now();
  await deps.catalog.policies.create(id, { id, ...input.fields }, editor, now, editor.isAdmin ? undefined : editor.agency);
  const published = await deps.catalog.policies.publish(id, 1, now);
  await announceChanges(deps.queues, [{ kind: 'policy', key: id, version: 1, publishCount: published.publishCount }]);
  return { id, ...versionState(published) };
}

/**
 * Publishes a new version of a policy document.
 * 1. 404 for an unknown policy; the editor must be allowed for its region and agency (403);
 * 2. fields checked as on creation (422);
 * 3. the version is written on top of `expectedVersion` (else 409) and published at once;
 * 4. the publication is announced to the indexer.
 */
export async function updatePolicy(
  deps: CatalogWriteDependencies,
  input: { principal: Principal | undefined; id: string; fields: PolicyFields; expectedVersion: number },
): Promise<VersionState & { id: string; changes: readonly string[] }> {
  const editor = catalogEditor(input.principal);
  const head = await deps.catalog.policies.head(input.id);
  if (!head) throw notFound(`No policy ${input.id}`, 'policy_not_found');
  if (!editor.isAdmin && head.owner === undefined) throw forbidden('National policies are changed by administrators', 'admin_only');
  assertMayPublishPolicy(editor, input.fields.region, head.owner);
  await assertPolicyFields(deps.catalog, input.fields);
  const now = deps.clock.now();
  const { head: updated, record } = await deps.catalog.policies.update(input.id, { id: input.id, ...input.fields }, input.expectedVersion, editor, now);
  const published = await deps.catalog.policies.publish(input.id, updated.latestVersion, now);
  await announceChanges(deps.queues, [{ kind: 'policy', key: input.id, version: updated.latestVersion, publishCount: published.publishCount }]);
  return { id: input.id, ...versionState(published), changes: record.changes };
}
