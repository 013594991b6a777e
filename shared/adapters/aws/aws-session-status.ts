import type { SessionStatus } from '../../auth/access-token-principals.js';
import { envNames } from '../../config.js';
import { cachedSessionStatus } from '../../identity/session-status.js';
import { sessionRepository } from '../../identity/session-repository.js';
import { systemClock } from '../../ports/clock.js';
import type { Tables } from '../../ports/tables.js';

/**
 * Session revocation for a Lambda function that serves signed-in routes: sessions read from the
 * identity table (cached at most 5 s). Composed in handler.ts next to the tables adapter, so
 * functions without signed-in routes do not bundle it.
 */
export function awsSessionStatus(env: NodeJS.ProcessEnv, tables: () => Tables): SessionStatus {
  if (!env[envNames.table('identity')]) {
    throw new Error("configuration: TABLE_IDENTITY is not set; functions with signed-in routes need identity: 'read' in infra/manifest.ts");
  }
  let status: SessionStatus | undefined;
  return { isRevoked: (sessionId) => (status ??= cachedSessionStatus({ sessions: sessionRepository(tables()), clock: systemClock })).isRevoked(sessionId) };
}
