import type { ComponentType } from 'react';
import { OverridesPanel } from '../overrides/OverridesPanel';

/** What a section of the customer page is given: the customer, and the policies they have ledger rows under. */
export interface CustomerPanelProps {
  customerId: string;
  policies: string[];
}

/**
 * Further sections of the customer page, shown below the ledger (e.g. the overrides panel of the
 * events work): add a component here; the page renders each with the customer and their policies.
 */
export const customerPanels: ComponentType<CustomerPanelProps>[] = [OverridesPanel];
