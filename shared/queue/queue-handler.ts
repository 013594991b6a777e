import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ZodMiniType } from 'zod/mini';
import { malformed } from '../errors.js';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The one way a function consumes a queue: each record is processed on its own and only the
 * failed ones are reported back (ReportBatchItemFailures), so one bad message never makes the
 * good ones of its batch run again. A record that keeps failing ends in the queue's DLQ.
 */
export function createQueueHandler(deps: { logger: Logger }, processRecord: (record: SQSRecord) => Promise<void>): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          await processRecord(record);
        } catch (error) {
          deps.logger.warn('message failed', {
            messageId: record.messageId,
            queue: record.eventSourceARN.split(':').pop(),
            receiveCount: record.attributes.ApproximateReceiveCount,
            error: (error as Error).message,
          });
          throw error;
        }
      },
      processor,
      { context },
    );
}

/** The JSON body of a record checked against the consumer's schema; anything else fails the record (and, repeated, goes to the DLQ). */
export function messageBody<T>(record: SQSRecord, schema: ZodMiniType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(record.body);
  } catch {
    throw malformed(`not a ${what}: the body is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw malformed(`not a ${what}`);
  return parsed.data;
}
