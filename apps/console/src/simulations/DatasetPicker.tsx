import UploadIcon from '@mui/icons-material/UploadFile';
import { Alert, Button, LinearProgress, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useGetList, useTranslate } from 'react-admin';
import { useTierwiseData } from '../dataProvider';
import type { Dataset } from '../dataProvider/types';
import { guessIdColumn } from './id-column';

interface Props {
  value: string;
  onChange(dataset: Dataset | undefined): void;
  /** The candidate version: the API generates synthetic customers for the facts it uses. */
  versionId?: string;
}

/** Choose a dataset, upload a CSV (with progress) or generate synthetic customers for the candidate. */
export const DatasetPicker = ({ value, onChange, versionId }: Props) => {
  const translate = useTranslate();
  const api = useTierwiseData();
  const datasets = useGetList<Dataset>('datasets', { sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 200 } });
  const [progress, setProgress] = useState<number | null>(null);
  const [rows, setRows] = useState(2000);
  const [error, setError] = useState<string | null>(null);
  const created = async (promise: Promise<Dataset>) => {
    setError(null);
    try {
      const dataset = await promise;
      await datasets.refetch();
      onChange(dataset);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  };
  const upload = async (file: File) => {
    setProgress(0);
    const idColumn = guessIdColumn(await file.slice(0, 4096).text());
    void created(api.uploadDataset(file, { name: file.name.replace(/\.csv$/i, ''), idColumn }, setProgress));
  };
  const generate = () => {
    if (!versionId) return;
    setProgress(1);
    const seed = Date.now() % 2 ** 31;
    void created(
      api.createSyntheticDataset({
        versionId,
        size: rows,
        seed,
        name: `${translate('tw.simulation.synthetic')} ${new Date().toISOString().slice(0, 16)} (seed ${seed})`,
      }),
    );
  };
  const list = datasets.data ?? [];
  return (
    <Stack spacing={1}>
      <TextField
        select
        label={translate('tw.simulation.dataset')}
        value={list.some((d) => d.id === value) ? value : ''}
        onChange={(e) => onChange(list.find((d) => d.id === e.target.value))}
        slotProps={{ htmlInput: { 'data-testid': 'dataset-select' } }}
      >
        {list.map((d) => (
          <MenuItem key={d.id} value={d.id}>{`${d.name} (${d.rowCount})`}</MenuItem>
        ))}
      </TextField>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Button component="label" startIcon={<UploadIcon />} disabled={progress !== null}>
          {translate('tw.simulation.upload')}
          <input
            hidden
            type="file"
            accept=".csv,text/csv"
            data-testid="dataset-upload"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void upload(file);
              e.target.value = '';
            }}
          />
        </Button>
        <TextField
          size="small"
          type="number"
          label={translate('tw.simulation.rows')}
          value={rows}
          sx={{ width: 120 }}
          onChange={(e) => setRows(Math.max(1, Math.min(100_000, Number(e.target.value) || 1)))}
        />
        <Button onClick={generate} disabled={!versionId || progress !== null} data-testid="generate-dataset">
          {translate('tw.simulation.generate')}
        </Button>
      </Stack>
      {progress !== null && (
        <LinearProgress variant={progress > 0 && progress < 1 ? 'determinate' : 'indeterminate'} value={progress * 100} data-testid="upload-progress" />
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
};
