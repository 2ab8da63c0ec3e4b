import { factsInDefinition, type Benefit, type BenefitPackage, type FactDefinition, type PolicyDefinition } from '@tierwise/policy-engine';
import { EntityManager } from 'typeorm';
import { BenefitPackageRow, BenefitRow, FactRow } from '../catalog/catalog.entities';
import { BENEFIT_PACKAGES, BENEFITS, FACTS } from '../catalog/catalog.specs';
import type { FrozenCatalog, PolicyVersionRow } from './policy.entities';

export interface LiveCatalog {
  facts: FactDefinition[];
  benefits: Benefit[];
  packages: BenefitPackage[];
}

export async function loadCatalog(m: EntityManager): Promise<LiveCatalog> {
  // One after another: inside a transaction all three share one connection.
  const facts = await m.find(FactRow);
  const benefits = await m.find(BenefitRow);
  const packages = await m.find(BenefitPackageRow);
  return { facts: facts.map(FACTS.toItem), benefits: benefits.map(BENEFITS.toItem), packages: packages.map(BENEFIT_PACKAGES.toItem) };
}

/** The catalog entries a definition uses, as they are now: what publishing freezes. */
export function freeze(definition: PolicyDefinition, catalog: LiveCatalog): FrozenCatalog {
  const used = factsInDefinition(definition);
  const benefits = new Map(catalog.benefits.map((b) => [b.key, b]));
  const packages: FrozenCatalog['packages'] = {};
  for (const tier of Array.isArray(definition.tiers) ? definition.tiers : []) {
    const p = tier.benefitPackage ? catalog.packages.find((x) => x.key === tier.benefitPackage) : undefined;
    if (p) packages[p.key] = { key: p.key, name: p.name, nameEn: p.nameEn, benefits: p.benefits.flatMap((k) => benefits.get(k) ?? []) };
  }
  return { facts: catalog.facts.filter((f) => used.has(f.key)), packages };
}

/** What a version evaluates against: its frozen catalog once published, the live catalog before. */
export async function catalogFor(m: EntityManager, v: PolicyVersionRow): Promise<FrozenCatalog> {
  if (v.frozen) return v.frozen;
  return freeze(v.definition, await loadCatalog(m));
}
