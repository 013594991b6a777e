import { api, errorText } from '../../api.js';
import { Loading, Notice } from '../../components/index.js';
import { useAsync } from '../../hooks.js';
import { Link, useRoute, useTitle } from '../../router.js';

interface LifeEvent {
  id: string;
  name: string;
  description: string;
  items: { order: number; code: string; name: string; department: string; promisedDays: number; onlineApply: boolean; region: { code: string } }[];
  materials: { name: string; required: boolean; usedBy: string[] }[];
}

/** A life event ("一件事"): its items in order and the combined materials. */
export function LifeEventPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const event = useAsync(() => api.get<LifeEvent>(`/v1/life-events/${encodeURIComponent(id)}`), [id]);
  useTitle(event.data?.name);
  const data = event.data;
  return (
    <article class="page">
      <h1>{data?.name ?? '一件事'}</h1>
      {event.loading && !data ? <Loading /> : null}
      {event.error ? <Notice kind="error">{errorText(event.error)}</Notice> : null}
      {data ? (
        <>
          <p>{data.description}</p>
          <section class="section" aria-labelledby="event-items">
            <h2 id="event-items">办理事项（按顺序）</h2>
            <ol class="card-list">
              {data.items.map((item) => (
                <li key={item.code} class="card">
                  <h3>
                    <Link href={`/items/${encodeURIComponent(item.code)}`}>{item.name}</Link>
                  </h3>
                  <ul class="meta">
                    <li>第 {item.order} 步</li>
                    <li>{item.department}</li>
                    <li>承诺时限：{item.promisedDays === 0 ? '即办' : `${item.promisedDays} 个工作日`}</li>
                    <li>{item.onlineApply ? '可在线办理' : '需到现场办理'}</li>
                  </ul>
                </li>
              ))}
            </ol>
          </section>
          <section class="section" aria-labelledby="event-materials">
            <h2 id="event-materials">材料清单（合并后）</h2>
            <ul>
              {data.materials.map((material) => (
                <li key={material.name}>
                  {material.name}
                  {material.required ? '' : '（非必需）'}
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </article>
  );
}
