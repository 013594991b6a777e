import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue.js';
import { chinaDate } from '../workflow/working-calendar.js';
import type { AccessEvent, AccessEventSink, AccessRecord } from './access-event.js';

export interface BatchingOptions {
  readonly queues: QueuePublisher;
  /** stamps each record as it arrives */
  readonly clock: Clock;
  readonly onError: (error: Error) => void;
  /** share of requests recorded, 0..1; 1 records every one */
  readonly sampleRate?: number;
  /** events per queue message */
  readonly maxBatch?: number;
  /** how long the first buffered event waits for others before the batch is sent */
  readonly flushDelayMs?: number;
  readonly random?: () => number;
}

/** a record with the epoch milliseconds it arrived at */
type Stamped = readonly [number, AccessRecord];

/** the anonymised user key: the day and the account hashed together, so it changes every day */
export function anonymisedUserKey(day: string, sub: string): string {
  return createHash('sha256').update(`access#${day}#${sub}`).digest('base64url').slice(0, 22);
}

function toEvent([stamp, access]: Stamped): AccessEvent {
  const at = new Date(stamp);
  const { sub, channel, ...rest } = access;
  return { ...rest, at: at.toISOString(), channel: channel ?? 'api', ...(sub ? { userKey: anonymisedUserKey(chinaDate(at), sub) } : {}) };
}

/**
 * The access-event emitter of the HTTP stack, off the request's critical path: `record` only
 * samples and appends to a buffer; a timer (or a full buffer) later turns the buffer into one
 * queue message, hashing user keys there. A failed send is reported and dropped: monitoring
 * never fails or slows a request. In Lambda a batch still buffered when the environment is
 * frozen leaves with the next request's timer.
 */
export function batchingAccessEvents(options: BatchingOptions): AccessEventSink {
  const sampleRate = options.sampleRate ?? 1;
  const maxBatch = options.maxBatch ?? 100;
  const flushDelayMs = options.flushDelayMs ?? 200;
  const random = options.random ?? Math.random;
  let buffer: Stamped[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> = Promise.resolve();

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const taken = buffer;
    buffer = [];
    if (taken.length > 0) {
      sending = sending.then(async () => {
        try {
          await options.queues.send('access-events', [{ body: { batchId: ulid(), events: taken.map(toEvent) } }]);
        } catch (error) {
          options.onError(error as Error);
        }
      });
    }
    await sending;
  };

  return {
    record(access) {
      if (sampleRate < 1 && random() >= sampleRate) return;
      buffer.push([options.clock.now().getTime(), access]);
      if (buffer.length >= maxBatch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushDelayMs);
        timer.unref?.();
      }
    },
    flush,
  };
}
