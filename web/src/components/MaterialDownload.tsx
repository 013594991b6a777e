import { useState } from 'preact/hooks';
import { materialFileName } from '../../../shared/cases/material-file-name.js';
import { api, errorText } from '../api.js';
import { Button } from './Button.js';

export interface DownloadableMaterial {
  materialId: string;
  name: string;
  contentType: string;
  status: string;
}

/** how long a saved file's object URL stays alive: long enough for every browser to start the save */
const OBJECT_URL_LIFETIME_MS = 60_000;

/**
 * A material's name as a button that saves its file. The access token lives in memory, so a plain
 * link would be sent without it: the bytes are fetched with the token and saved through an object
 * URL. A material held by the platform the case came from has no file here and stays plain text.
 */
export function MaterialDownload({ caseNo, material }: { caseNo: string; material: DownloadableMaterial }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (material.status !== 'received') return <span>{material.name}</span>;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const file = await api.blob(`/v1/cases/${encodeURIComponent(caseNo)}/materials/${encodeURIComponent(material.materialId)}`);
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = materialFileName(material);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFETIME_MS);
    } catch (failure) {
      setError(`${material.name} 下载失败：${errorText(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="link" class="material-download" busy={busy} aria-label={`下载 ${material.name}`} onClick={() => void save()}>
        {material.name}
      </Button>
      {error ? (
        <span class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
