import * as z from 'zod/mini';

/** A message to a person, as producers put it on the notifications queue. */
export const notificationMessage = z.object({
  /** producer's de-duplication id: the same id is delivered once */
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  channel: z.enum(['sms', 'email']),
  to: z.string().check(z.minLength(3), z.maxLength(254)),
  template: z.string().check(z.minLength(1), z.maxLength(100)),
  params: z.record(z.string(), z.string()),
});

export type NotificationMessage = z.infer<typeof notificationMessage>;
