/** The one way the portal talks to the platform: the public HTTPS API, same origin, JSON. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | readonly string[]>;

export interface RequestOptions {
  /** sent as `Idempotency-Key`; reuse the same key when retrying the same write */
  idempotencyKey?: string;
  /** extra headers (e.g. `X-Token-Delivery`) */
  headers?: Record<string, string>;
  /** do not attach the access token nor refresh on 401 (login, refresh itself) */
  anonymous?: boolean;
}

interface AuthHandlers {
  accessToken(): string | undefined;
  /** gets a new access token; resolves false when the session is gone */
  refresh(): Promise<boolean>;
}

let auth: AuthHandlers = { accessToken: () => undefined, refresh: async () => false };

/** The session registers how to read and renew the access token (kept in memory only). */
export function setAuthHandlers(handlers: AuthHandlers): void {
  auth = handlers;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const each of value) params.append(key, each);
    else params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(response.status, error.code, typeof error.message === 'string' ? error.message : error.code, error.details);
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || `HTTP ${response.status}`);
}

async function send<T>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  const response = await exchange(method, path, body, 'application/json', options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** one request with the access token (renewed once on 401); a failure answer becomes an ApiError */
async function exchange(method: string, path: string, body: unknown, accept: string, options: RequestOptions = {}, retried = false): Promise<Response> {
  const headers: Record<string, string> = { accept, ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const token = options.anonymous ? undefined : auth.accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试');
  }
  if (response.status === 401 && token && !retried && (await auth.refresh())) {
    return exchange(method, path, body, accept, options, true);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export interface Upload {
  blobId: string;
  uploadUrl: string;
  expiresAt: string;
  headers: Record<string, string>;
}

/** PUTs bytes with XMLHttpRequest, the only browser API that reports upload progress. */
function putWithProgress(url: string, file: Blob, headers: Record<string, string>, onProgress?: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress?.(1);
        resolve();
        return;
      }
      let code = `http_${request.status}`;
      let message = `上传失败（${request.status}）`;
      try {
        const error = (JSON.parse(request.responseText) as { error?: { code: string; message: string } }).error;
        if (error) ({ code, message } = error);
      } catch {
        // not JSON: keep the generic message
      }
      reject(new ApiError(request.status, code, message));
    };
    request.onerror = () => reject(new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试'));
    request.send(file);
  });
}

async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export const api = {
  get<T>(path: string, query?: Query, options?: RequestOptions): Promise<T> {
    return send<T>('GET', withQuery(path, query), undefined, options);
  },
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return send<T>('POST', path, body ?? {}, options);
  },
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return send<T>('PUT', path, body ?? {}, options);
  },
  del<T>(path: string, options?: RequestOptions): Promise<T> {
    return send<T>('DELETE', path, undefined, options);
  },
  /**
   * GETs a file (a case material) with the access token, which a plain link would not carry. A file
   * too large for an API response comes as a 303 to a short-lived download URL of the blob store:
   * fetch follows it (dropping the Authorization header when the store is another origin, as the
   * bucket is in AWS) and this answers the file there; a failure there (not JSON) is an http_<status> ApiError.
   */
  async blob(path: string, options?: RequestOptions): Promise<Blob> {
    return (await exchange('GET', path, undefined, '*/*', options)).blob();
  },
  /** Reserves an upload (`POST /v1/uploads`) and PUTs the file to its `uploadUrl`, reporting progress 0..1. */
  async upload(file: File, onProgress?: (fraction: number) => void): Promise<Upload> {
    const contentType = file.type || 'application/octet-stream';
    const sha256 = await sha256Hex(file);
    const reserved = await send<Upload>('POST', '/v1/uploads', { fileName: file.name, contentType, size: file.size, sha256 });
    const headers = Object.keys(reserved.headers).some((name) => name.toLowerCase() === 'content-type') ? reserved.headers : { ...reserved.headers, 'content-type': contentType };
    await putWithProgress(reserved.uploadUrl, file, headers, onProgress);
    return reserved;
  },
};

const messagesByCode: Record<string, string> = {
  network_error: '网络连接失败，请检查网络后重试',
  validation_failed: '填写的内容有误，请检查后重试',
  unauthenticated: '请先登录',
  forbidden: '您没有权限进行此操作',
  not_found: '未找到相关内容',
  rate_limited: '操作过于频繁，请稍后再试',
  unavailable: '服务暂时不可用，请稍后再试',
  internal_error: '系统繁忙，请稍后再试',
};

/** A message for people: Chinese for the common cases, the platform's own message otherwise. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const known = messagesByCode[error.code];
    if (known) return known;
    if (error.status === 401) return messagesByCode.unauthenticated!;
    if (error.status === 403) return messagesByCode.forbidden!;
    if (error.status === 404) return messagesByCode.not_found!;
    if (error.status >= 500) return messagesByCode.internal_error!;
    return error.message;
  }
  return '出现了意外错误，请稍后再试';
}

/** Field problems of a 400/422 answer, by field path ("applicant.phone"). */
export function fieldErrors(error: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  if (!(error instanceof ApiError)) return found;
  const details = error.details as { issues?: unknown; fields?: unknown } | unknown[] | undefined;
  const issues = Array.isArray(details) ? details : Array.isArray((details as { issues?: unknown })?.issues) ? ((details as { issues: unknown[] }).issues) : [];
  for (const issue of issues) {
    const { path, message, field } = (issue ?? {}) as { path?: unknown; message?: unknown; field?: unknown };
    const key = typeof field === 'string' ? field : Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
    if (key && typeof message === 'string' && !found[key]) found[key] = message;
  }
  return found;
}

/** A fresh key for one logical write (kept by the form and reused on retry). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
