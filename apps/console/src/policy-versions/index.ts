import { lazy } from 'react';
import type { ResourceProps } from 'react-admin';

/** The rule builder (and the engine's validation it runs in the browser) loads on demand. */
export const policyVersions: Omit<ResourceProps, 'name'> = {
  edit: lazy(() => import('./VersionEditor')),
  recordRepresentation: (record) => `v${String(record.number)}`,
};
