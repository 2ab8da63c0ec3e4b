import { HttpError } from 'react-admin';
import { API_URL, isApiErrorBody, requestJson } from './httpClient';
import { session } from './session';
import type { Dataset, Simulation } from './types';

export interface SimulationRequest {
  candidateVersionId: string;
  baselineVersionId?: string;
  datasetId: string;
  groupBy?: string[];
}

/** CSV upload with progress (fetch cannot report upload progress; XHR can); parameters go in the query string. */
function uploadDataset(file: File, params: { name: string; idColumn?: string }, onProgress: (fraction: number) => void): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ name: params.name, ...(params.idColumn ? { idColumn: params.idColumn } : {}) });
    xhr.open('POST', `${API_URL}/datasets?${query}`);
    const token = session.token();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new HttpError('ra.notification.http_error', 0));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Dataset);
      else reject(new HttpError(isApiErrorBody(body) ? String(body.message) : xhr.statusText, xhr.status, body));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

/** Simulations and their datasets (contract §5). */
export const simulationApi = {
  uploadDataset,
  createDatasetFromRows: (name: string, rows: Record<string, unknown>[], idColumn?: string) =>
    requestJson<Dataset>('/datasets', 'POST', { name, rows, idColumn }),
  startSimulation: (request: SimulationRequest) => requestJson<Simulation>('/simulations', 'POST', request),
  getSimulation: (id: string) => requestJson<Simulation>(`/simulations/${encodeURIComponent(id)}`),
};
