/** The unread message count shown as a badge in the header; the messages page updates it. */
import { api } from './api.js';

let unread = 0;
const listeners = new Set<(count: number) => void>();

export function unreadCount(): number {
  return unread;
}

export function setUnreadCount(count: number): void {
  unread = count;
  for (const listener of listeners) listener(count);
}

export function onUnreadChange(listener: (count: number) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function refreshUnreadCount(): Promise<void> {
  try {
    const { unreadCount: count } = await api.get<{ unreadCount: number }>('/v1/me/messages', { unread: 'true' });
    setUnreadCount(count);
  } catch {
    // the badge is a hint; the messages page shows the real list
  }
}
