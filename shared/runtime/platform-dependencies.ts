import type { KeyName } from '../../infra/manifest.js';
import type { TokenKeys } from '../auth/token-keys.js';
import type { PlatformConfig } from '../config.js';
import type { HttpDependencies } from '../http/api-handler.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityAuthorities } from '../ports/identity-authorities.js';
import type { KeyVault } from '../ports/key-vault.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { QueuePublisher } from '../ports/queue.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { Tables } from '../ports/tables.js';

/**
 * What every function gets: configuration, time, logging, CORS, key ids and token verification.
 * None of it needs an AWS client.
 */
export type CoreDependencies = Pick<PlatformDependencies, 'config' | 'clock' | 'logger' | 'cors' | 'keyIds' | 'tokenKeys' | 'principals' | 'validateResponses'>;

/**
 * Everything a function may use, behind ports. Built once per cold start by a composition root:
 * shared/adapters/aws/aws-dependencies.ts in Lambda, infra/local/local-dependencies.ts locally,
 * or a test. A function's factory asks for the part it uses (`CoreDependencies & Pick<...>`), so
its Lambda composition wires, and bundles, only those adapters.
 */
export interface PlatformDependencies extends HttpDependencies {
  readonly config: PlatformConfig;
  readonly clock: Clock;
  readonly tables: Tables;
  readonly queues: QueuePublisher;
  readonly vault: KeyVault;
  /** physical key ids of the manifest's keys */
  readonly keyIds: Readonly<Record<KeyName, string>>;
  readonly blobs: BlobStore;
  readonly search: SearchIndex;
  readonly messages: MessageSender;
  /** the real-name verification authorities (public security, social security, market regulation, liveness, NFC) */
  readonly authorities: IdentityAuthorities;
  /** the keys that sign and verify our access tokens */
  readonly tokenKeys: TokenKeys;
}
