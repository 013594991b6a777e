import type { Context, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { userCenterFunction } from '../../infra/manifest.js';
import { caseEventMessage } from '../../shared/cases/case-event-message.js';
import { catalogImplementationLookup } from '../../shared/cases/catalog-implementation-lookup.js';
import { catalogRepository } from '../../shared/catalog/catalog-repository.js';
import { certificateIssuedMessage } from '../../shared/certificates/certificate-event-message.js';
import { listPolicies } from '../../shared/catalog/list-policies.js';
import { createApiHandler, type ApiHandler } from '../../shared/http/api-handler.js';
import { accountRepository } from '../../shared/identity/account-repository.js';
import { createQueueHandler, messageBody } from '../../shared/queue/queue-handler.js';
import type { CoreDependencies, PlatformDependencies } from '../../shared/runtime/platform-dependencies.js';
import { followUpCaseEvent, followUpCertificateIssued } from '../../shared/user-center/follow-up-events.js';
import { listMessages, readMessage } from '../../shared/user-center/inbox.js';
import { recommendationRepository } from '../../shared/user-center/recommendation-repository.js';
import { addFavorite, clearFootprints, listFootprints, recordFootprint, removeFavorite } from '../../shared/user-center/personal-activity.js';
import { uploadRepository } from '../../shared/uploads/upload-repository.js';
import { listPrivateDocuments } from '../../shared/user-center/list-private-documents.js';
import { removePrivateDocument } from '../../shared/user-center/remove-private-document.js';
import { storePrivateDocument } from '../../shared/user-center/store-private-document.js';
import { userCenterRepository } from '../../shared/user-center/user-center-repository.js';
import { userCenterSchemas } from './schemas.js';

/** The user centre (GB/T 39047 6.1.10) and the inbox's consumer of case changes and issued certificates. */
export type UserCenterDependencies = CoreDependencies & Pick<PlatformDependencies, 'tables' | 'blobs'>;

const POLICIES_LOOKED_AT = 100;
const inboxEvent = z.union([certificateIssuedMessage, caseEventMessage]);
const HOME_POLICIES = 10;

export function createHandler(deps: UserCenterDependencies) {
  const userCenter = userCenterRepository(deps.tables);
  const services = { clock: deps.clock, userCenter };
  const privateSpace = { ...services, uploads: uploadRepository(deps.tables), blobs: deps.blobs };
  const catalog = catalogRepository(deps.tables);
  const implementations = catalogImplementationLookup(catalog);

  const api = createApiHandler(userCenterFunction, userCenterSchemas, deps, {
    getPreferences: async ({ principal }) => ({ body: await userCenter.preferences(principal!.sub) }),
    savePreferences: async ({ body, principal }) => {
      await userCenter.savePreferences(principal!.sub, body);
      return { body };
    },
    getHome: async ({ principal }) => {
      const sub = principal!.sub;
      const [preferences, favorites, inbox] = await Promise.all([userCenter.preferences(sub), userCenter.favorites(sub), listMessages(services, { sub })]);
      const region = preferences.region ?? principal!.region;
      const guides = region ? await Promise.all(preferences.subscribedItems.map((code) => implementations.forItemInRegion(code, region))) : [];
      // policies of the region (and above it), those of the chosen themes when there are any
      const { policies } = await listPolicies({ catalog }, { ...(region ? { region } : {}), page: 1, size: POLICIES_LOOKED_AT });
      const themed = policies.filter((policy) => preferences.themes.length === 0 || policy.themes.some((theme) => preferences.themes.includes(theme)));
      return {
        body: {
          preferences,
          ...(region ? { region } : {}),
          subscribedItems: guides.flatMap((facts) =>
            facts ? [{ itemCode: facts.itemCode, itemName: facts.itemName, agency: facts.agency.name, region: facts.region, promisedDays: facts.promisedDays, onlineApply: facts.onlineApply }] : [],
          ),
          policies: themed.slice(0, HOME_POLICIES).map(({ id, title, issuer, issuedOn, region: policyRegion, themes }) => ({ id, title, issuer, issuedOn, region: policyRegion, themes })),
          favorites,
          unreadMessages: inbox.unreadCount,
        },
      };
    },
    listMessages: async ({ query, principal }) => ({
      body: await listMessages(services, { sub: principal!.sub, ...(query.unread ? { unread: query.unread === 'true' } : {}) }),
    }),
    readMessage: async ({ params, principal }) => {
      await readMessage(services, { sub: principal!.sub, messageId: params.id });
      return { body: { messageId: params.id, read: true } };
    },
    listFavorites: async ({ principal }) => ({ body: { favorites: await userCenter.favorites(principal!.sub) } }),
    addFavorite: async ({ body, principal }) => ({ body: await addFavorite(services, { sub: principal!.sub, ...body }) }),
    removeFavorite: async ({ params, principal }) => {
      await removeFavorite(services, { sub: principal!.sub, favoriteId: params.id });
      return { body: { removed: 1 } };
    },
    listFootprints: async ({ principal }) => ({ body: { footprints: await listFootprints(services, principal!.sub) } }),
    recordFootprint: async ({ body, principal }) => {
      const footprint = await recordFootprint(services, { sub: principal!.sub, ...body });
      return { body: footprint ? { recorded: true, footprint } : { recorded: false } };
    },
    removeFootprint: async ({ params, principal }) => {
      await userCenter.removeFootprint(principal!.sub, params.id);
      return { body: { removed: 1 } };
    },
    clearFootprints: async ({ principal }) => ({ body: { removed: await clearFootprints(services, principal!.sub) } }),
    getPrivacy: async ({ principal }) => ({ body: await userCenter.privacy(principal!.sub) }),
    savePrivacy: async ({ body, principal }) => {
      await userCenter.savePrivacy(principal!.sub, body);
      return { body };
    },
    listPrivateDocuments: async ({ principal }) => ({ body: { documents: await listPrivateDocuments(services, principal!.sub) } }),
    storePrivateDocument: async ({ body, principal }) => ({ body: await storePrivateDocument(privateSpace, { sub: principal!.sub, ...body }) }),
    removePrivateDocument: async ({ params, principal }) => {
      await removePrivateDocument(privateSpace, { sub: principal!.sub, documentId: params.id });
      return { body: { removed: 1 } };
    },
  });
  const accounts = accountRepository(deps.tables);
  const followUp = { ...services, recommendations: recommendationRepository(deps.tables), catalog, implementations, blobs: deps.blobs };
  const queue = createQueueHandler(deps, async (record) => {
    // both subscriptions share the handler (in AWS the queue names are generated): a certificate
    // event has an identifier and no caseNo, a case event the reverse, so the body says which it is
    const event = messageBody(record, inboxEvent, 'case or certificate event');
    if ('identifier' in event) await followUpCertificateIssued({ userCenter, accounts, blobs: deps.blobs }, event);
    else await followUpCaseEvent(followUp, event);
  });
  return (event: Parameters<ApiHandler>[0] | SQSEvent, context: Context) => ('Records' in event ? queue(event, context) : api(event, context));
}
