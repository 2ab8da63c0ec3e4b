import SimulationIcon from '@mui/icons-material/Science';
import { lazy } from 'react';
import type { ResourceProps } from 'react-admin';
import { SimulationList } from './SimulationList';

/** Simulation screens pull in the charts: they load on demand, outside the first load. */
export const simulations: Omit<ResourceProps, 'name'> = {
  list: SimulationList,
  create: lazy(() => import('./SimulationCreate')),
  show: lazy(() => import('./SimulationShow')),
  icon: SimulationIcon,
};
