/**
 * Files (materials, certificate files, exchange files): S3 in AWS, a folder locally.
 * Uploads go straight to the store through a time-limited URL that pins content type and size.
 */
export interface UploadTicket {
  readonly uploadUrl: string;
  readonly expiresAt: Date;
  /** headers the client must send with the PUT */
  readonly headers: Readonly<Record<string, string>>;
}

export interface StoredBlob {
  readonly contentType: string;
  readonly size: number;
  /** hex SHA-256 of the bytes */
  readonly sha256: string;
}

export interface BlobStore {
  createUploadUrl(input: { key: string; contentType: string; size: number; sha256: string; expiresInSeconds: number }): Promise<UploadTicket>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredBlob>;
  get(key: string): Promise<{ bytes: Uint8Array; info: StoredBlob } | undefined>;
  head(key: string): Promise<StoredBlob | undefined>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
}
