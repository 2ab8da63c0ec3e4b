import RatingIcon from '@mui/icons-material/Leaderboard';
import { lazy } from 'react';
import type { ResourceProps } from 'react-admin';
import { RatingRunList } from './RatingRunList';

/** Rating runs (contract §8): list, start from a snapshot, proposal report with four-eyes approval. */
export const ratingRuns: Omit<ResourceProps, 'name'> = {
  list: RatingRunList,
  create: lazy(() => import('./RatingRunCreate')),
  show: lazy(() => import('./RatingRunShow')),
  icon: RatingIcon,
};
