import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { maskMiddle } from '../../codes/masking.js';
import type { MessageSender } from '../../ports/message-sender.js';

/**
 * The local SMS/email gateway: each message becomes a JSON file in `<dir>` and one line on the
 * console (recipient masked), so a person running the platform can read an SMS code.
 * Simulated: nothing leaves the machine.
 */
export function outboxMessageSender(options: { dir: string; print?: (line: string) => void }): MessageSender {
  const print = options.print ?? ((line: string) => console.log(line));
  return {
    async send(message) {
      const providerMessageId = `local-${ulid()}`;
      await mkdir(options.dir, { recursive: true });
      await writeFile(join(options.dir, `${providerMessageId}.json`), JSON.stringify({ providerMessageId, sentAt: new Date().toISOString(), ...message }, null, 2));
      print(`[outbox] ${message.channel} to ${maskMiddle(message.to, 3, 4)}: ${message.template} ${JSON.stringify(message.params)}`);
      return { providerMessageId };
    },
  };
}
