import type { Role } from './roles';

/** Who may upload datasets and run (or cancel) simulations; `viewer` reads them, `service` has no access. */
export const SIMULATION_RUNNERS: Role[] = ['admin', 'author', 'approver', 'compliance'];
