import type { Manifest } from '../manifest.js';
import type { LocalQueue } from '../../shared/adapters/local/local-queue.js';
import { acceptLocalUpload, DownloadRejectedError, serveLocalDownload, UploadRejectedError, type FolderBlobStore } from '../../shared/adapters/local/folder-blob-store.js';
import type { LocalRoute } from './gateway.js';

const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});
const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });

const UPLOAD_REJECTION_STATUS = { expired: 403, 'bad-signature': 403, 'content-type': 415, size: 413, hash: 422 } as const;

/** at most this many messages in one injected batch, like a handful of SQS SendMessageBatch calls */
const MAX_INJECTED_BATCH = 1000;

/**
 * Routes that exist only in the local runtime, never in AWS:
 * - POST /_local/queues/{queue}/messages: push a message (the body) or a batch ({ "messages": [...] })
 *   into a manifest queue, as a regional platform would with SQS;
 * - PUT /_local/blobs/{token}: the target of local upload URLs (S3 presigned PUT in AWS);
 * - GET /_local/blobs/{token}: the target of local download URLs (S3 presigned GET in AWS), needing
 *   no other credentials, answered with the signed content type and disposition.
 */
export function localOnlyRoutes(deps: { manifest: Manifest; queue: LocalQueue; blobs: FolderBlobStore }): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/_local/queues/{queue}/messages',
      async handle({ params, body }) {
        const queueName = params.queue!;
        if (!(queueName in deps.manifest.queues)) return error(404, 'queue_not_found', `No queue ${queueName} in the manifest`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return error(400, 'malformed_json', 'The body is not valid JSON');
        }
        const isBatch = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Array.isArray((parsed as { messages?: unknown }).messages);
        const bodies = isBatch ? ((parsed as { messages: unknown[] }).messages) : [parsed];
        if (bodies.length === 0 || bodies.length > MAX_INJECTED_BATCH) {
          return error(422, 'validation_failed', `A batch holds 1 to ${MAX_INJECTED_BATCH} messages`);
        }
        const { messageIds } = await deps.queue.send(queueName, bodies.map((message) => ({ body: message })));
        return json(202, { queue: queueName, messageIds });
      },
    },
    {
      method: 'PUT',
      path: '/_local/blobs/{token}',
      async handle({ params, body, headers }) {
        try {
          const stored = await acceptLocalUpload(deps.blobs, params.token!, { contentType: String(headers['content-type'] ?? ''), bytes: body });
          return json(200, { stored: true, size: stored.size, sha256: stored.sha256 });
        } catch (rejection) {
          if (rejection instanceof UploadRejectedError) {
            return error(UPLOAD_REJECTION_STATUS[rejection.reason], `upload_${rejection.reason.replace('-', '_')}`, rejection.message);
          }
          throw rejection;
        }
      },
    },
    {
      method: 'GET',
      path: '/_local/blobs/{token}',
      async handle({ params }) {
        try {
          const download = await serveLocalDownload(deps.blobs, params.token!);
          if (!download) return error(404, 'blob_not_found', 'The file no longer exists');
          const headers = { 'content-type': download.contentType, 'content-disposition': download.contentDisposition, 'x-content-type-options': 'nosniff' };
          return { status: 200, headers, body: Buffer.from(download.bytes) };
        } catch (rejection) {
          if (rejection instanceof DownloadRejectedError) return error(403, `download_${rejection.reason.replace('-', '_')}`, rejection.message);
          throw rejection;
        }
      },
    },
  ];
}
