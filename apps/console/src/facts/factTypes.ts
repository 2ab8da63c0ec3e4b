import type { FactType } from '@tierwise/policy-engine';

export const FACT_TYPES: readonly FactType[] = ['number', 'integer', 'boolean', 'string', 'enum', 'string[]', 'date'];

/** Choices for a SelectInput, labelled through i18n (`tw.factTypes.<type>`). */
export const factTypeChoices = FACT_TYPES.map((type) => ({ id: type, name: `tw.factTypes.${type}` }));

/** Who may read a fact's values (the API masks them as *** for the others), labelled through `tw.sensitivity.<class>`. */
export const sensitivityChoices = (['public', 'internal', 'sensitive'] as const).map((s) => ({ id: s, name: `tw.sensitivity.${s}` }));
