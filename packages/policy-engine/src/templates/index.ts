/**
 * Ready-made policies for every scheme in tiering-schemes.md §1–5, plus the insurer household
 * income layers and the fund risk types (§6). The product loads all of them into one catalog:
 * shared fact keys have one definition (./facts), benefit and package keys are unique per scheme.
 */
import type { Benefit, BenefitPackage, FactDefinition, PolicyTemplate } from '../types';
import { cibAssetLadderTemplate } from './cib-asset-ladder';
import { cibCardTemplate } from './cib-card';
import { cibCorporateRevenueTemplate } from './cib-corporate-revenue';
import { corporateLayeringTemplate } from './corporate-layering';
import { dealerLoyaltyTemplate } from './dealer-loyalty';
import { fundRiskTemplate } from './fund-risk';
import { govMmsTemplate } from './gov-mms';
import { icbcStarTemplate } from './icbc-star';
import { insurerIncomeTemplate } from './insurer-income';

export { cibAssetLadderTemplate } from './cib-asset-ladder';
export { cibCardTemplate } from './cib-card';
export { cibCorporateRevenueTemplate } from './cib-corporate-revenue';
export { corporateLayeringTemplate } from './corporate-layering';
export { dealerLoyaltyTemplate } from './dealer-loyalty';
export { fundRiskTemplate } from './fund-risk';
export { createGovernmentTemplate, governmentProductLines, govMmsTemplate } from './gov-mms';
export type { GovernmentProductLine } from './gov-mms';
export { icbcStarTemplate } from './icbc-star';
export { insurerIncomeTemplate } from './insurer-income';

export const templates: PolicyTemplate[] = [
  cibCardTemplate,
  cibAssetLadderTemplate,
  cibCorporateRevenueTemplate,
  icbcStarTemplate,
  corporateLayeringTemplate,
  dealerLoyaltyTemplate,
  govMmsTemplate,
  insurerIncomeTemplate,
  fundRiskTemplate,
];

export function getTemplate(key: string): PolicyTemplate | undefined {
  return templates.find((t) => t.key === key);
}

export interface TemplateCatalog {
  facts: FactDefinition[];
  benefits: Benefit[];
  benefitPackages: BenefitPackage[];
}

/**
 * The union of the given templates' catalogs (default: all of them), each key once, in first-seen
 * order. The templates agree on every shared key (a test checks it), so nothing is lost.
 */
export function templateCatalog(from: PolicyTemplate[] = templates): TemplateCatalog {
  const unique = <T extends { key: string }>(items: T[]): T[] => {
    const seen = new Map<string, T>();
    for (const item of items) if (!seen.has(item.key)) seen.set(item.key, item);
    return [...seen.values()];
  };
  return {
    facts: unique(from.flatMap((t) => t.facts)),
    benefits: unique(from.flatMap((t) => t.benefits)),
    benefitPackages: unique(from.flatMap((t) => t.benefitPackages)),
  };
}
