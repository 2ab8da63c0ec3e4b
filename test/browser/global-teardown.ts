import { rmSync } from 'node:fs';
import { SEEDED_DATA_DIR_ENV } from './app-server';

export default function globalTeardown(): void {
  const dataDir = process.env[SEEDED_DATA_DIR_ENV];
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
