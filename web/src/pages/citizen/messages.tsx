import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api.js';
import { Button, EmptyState, Loading, Notice, formatDate } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { Link } from '../../router.js';
import { setUnreadCount } from '../../unread.js';

interface Message {
  messageId: string;
  source: 'case' | 'interaction' | 'certificate' | 'recommendation' | 'system';
  title: string;
  body: string;
  ref?: string;
  createdAt: string;
  readAt?: string;
}

const sourceLabels: Record<Message['source'], string> = { case: '办件', interaction: '咨询投诉', certificate: '证照', recommendation: '推荐', system: '系统' };

function refHref(message: Message): string | undefined {
  if (!message.ref) return undefined;
  if (message.source === 'case') return `/me/cases/${encodeURIComponent(message.ref)}`;
  if (message.source === 'interaction') return '/interactions';
  if (message.source === 'certificate') return '/me/wallet';
  return undefined;
}

/** The inbox: newest first, unread marked; reading one updates the badge in the header. */
export function MessagesPage() {
  const [onlyUnread, setOnlyUnread] = useState(false);
  const list = useAsync(() => api.get<{ messages: Message[]; unreadCount: number }>('/v1/me/messages', onlyUnread ? { unread: 'true' } : {}), [onlyUnread]);
  const { problem, run } = useSubmission();
  useEffect(() => {
    if (list.data) setUnreadCount(list.data.unreadCount);
  }, [list.data]);
  const markRead = (message: Message) =>
    run(async () => {
      await api.post(`/v1/me/messages/${encodeURIComponent(message.messageId)}/read`);
      list.reload();
    });
  return (
    <section class="page">
      <h1>我的消息</h1>
      {list.data ? <p class="muted">共 {list.data.unreadCount} 条未读</p> : null}
      <label class="check">
        <input type="checkbox" checked={onlyUnread} onChange={(event) => setOnlyUnread(event.currentTarget.checked)} />
        只看未读
      </label>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && !list.data.messages.length ? <EmptyState title="暂无消息" /> : null}
      <ul class="card-list section">
        {(list.data?.messages ?? []).map((message) => {
          const href = refHref(message);
          return (
            <li key={message.messageId} class={`card${message.readAt ? '' : ' unread'}`}>
              <h2 class="result-title">
                {message.readAt ? null : <span class="tag tag-error">未读</span>} {message.title}
              </h2>
              <p>{message.body}</p>
              <ul class="meta">
                <li>{sourceLabels[message.source]}</li>
                <li>{formatDate(message.createdAt)}</li>
                {href ? (
                  <li>
                    <Link href={href}>查看详情</Link>
                  </li>
                ) : null}
              </ul>
              {message.readAt ? null : (
                <Button variant="link" onClick={() => void markRead(message)} aria-label={`将“${message.title}”标为已读`}>
                  标为已读
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
