import { Box, Card, CardContent, Stack, Tab, Tabs } from '@mui/material';
import type { BenefitPackage, FactDefinition, PolicyDefinition } from '@tierwise/policy-engine';
import { useCallback, useMemo, useState } from 'react';
import { Title, usePermissions, useTranslate } from 'react-admin';
import { canRolesAccess } from '../auth/permissions';
import type { Policy, PolicyVersion } from '../dataProvider/types';
import { LatestSimulationCard } from '../simulations/LatestSimulationCard';
import { BuilderContext, type BuilderState } from './builder/BuilderContext';
import { EligibilityEditor, NamedConditionsEditor } from './builder/ConditionsTab';
import { JsonTab } from './builder/JsonTab';
import { ScorecardEditor } from './builder/ScorecardEditor';
import { TiersTab } from './builder/TiersTab';
import { TryItPanel } from './builder/TryItPanel';
import { checkDefinition } from './model/issues';
import { IssueSummary } from './builder/IssueSummary';
import { setIn, type Path } from './model/paths';
import { TestCasesPanel } from './TestCasesPanel';
import { UnsavedGuard } from './UnsavedGuard';
import { VersionHeader } from './VersionHeader';

const TABS = ['tiers', 'scores', 'eligibility', 'conditions', 'json'] as const;

const readOnlyOf = (version: PolicyVersion, permissions: string[] | undefined) =>
  version.status !== 'draft' || !canRolesAccess(permissions ?? [], 'policy-versions', 'edit');

interface Props {
  version: PolicyVersion;
  policy?: Policy;
  facts: FactDefinition[];
  packages: BenefitPackage[];
}

/** The rule builder for one version: tabs to edit, inline engine issues, try-it, test cases, simulation. */
export const VersionWorkspace = ({ version, policy, facts, packages }: Props) => {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const [definition, setDefinition] = useState<PolicyDefinition>(version.definition);
  const [dirty, setDirty] = useState(false);
  const [changeNote, setChangeNote] = useState(version.changeNote ?? '');
  const [savedNote, setSavedNote] = useState(version.changeNote ?? '');
  const [tab, setTab] = useState<(typeof TABS)[number]>('tiers');
  const [testsVersion, setTestsVersion] = useState(0);
  const readOnly = readOnlyOf(version, permissions);
  const unsaved = !readOnly && (dirty || changeNote !== savedNote);

  const factMap = useMemo(() => {
    const map = new Map(facts.map((f) => [f.key, f]));
    for (const s of definition.scores ?? []) if (!map.has(s.key)) map.set(s.key, { key: s.key, label: s.label || s.key, labelEn: s.labelEn, type: 'number' });
    return map;
  }, [facts, definition.scores]);
  const issues = useMemo(
    () =>
      checkDefinition(
        definition,
        facts,
        packages.map((p) => p.key),
      ),
    [definition, facts, packages],
  );
  const replace = useCallback((next: PolicyDefinition) => {
    setDefinition(next);
    setDirty(true);
  }, []);
  const update = useCallback((path: Path, value: unknown) => replace(setIn(definition, path, value)), [definition, replace]);
  const state: BuilderState = { definition, facts: factMap, packages, errors: issues.errors, warnings: issues.warnings, readOnly, update };

  return (
    <BuilderContext.Provider value={state}>
      <Title title={`${policy?.name ?? ''} v${version.number}`} />
      <UnsavedGuard dirty={unsaved} />
      <VersionHeader
        version={version}
        policy={policy}
        definition={definition}
        changeNote={changeNote}
        onChangeNote={setChangeNote}
        dirty={unsaved}
        readOnly={readOnly}
        onSaved={() => {
          setDirty(false);
          setSavedNote(changeNote);
        }}
      />
      {/* The rules take the full width below 1536 px (the ladder table needs it); try-it, simulation and tests sit beside or below. */}
      <Stack direction={{ xs: 'column', xl: 'row' }} spacing={2} sx={{ mt: 2, alignItems: 'flex-start' }}>
        <Card variant="outlined" sx={{ flex: 2, minWidth: 0, width: '100%' }}>
          <Tabs value={tab} onChange={(_e, next: (typeof TABS)[number]) => setTab(next)} variant="scrollable">
            {TABS.map((t) => (
              <Tab key={t} value={t} label={translate(`tw.builder.tabs.${t}`)} data-testid={`tab-${t}`} />
            ))}
          </Tabs>
          <CardContent>
            <IssueSummary errors={issues.errors} warnings={issues.warnings} tab={tab} />
            {tab === 'tiers' && <TiersTab />}
            {tab === 'scores' && <ScorecardEditor />}
            {tab === 'eligibility' && <EligibilityEditor />}
            {tab === 'conditions' && <NamedConditionsEditor />}
            {tab === 'json' && <JsonTab onChange={replace} />}
          </CardContent>
        </Card>
        <Box sx={{ flex: 1, minWidth: 320, width: '100%' }}>
          <Box sx={{ display: 'grid', gap: 2, alignItems: 'start', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr', xl: '1fr' } }}>
            {canRolesAccess(permissions ?? [], 'policy-versions', 'evaluate') && (
              <TryItPanel versionId={version.id} policyId={version.policyId} unsaved={dirty} onTestCaseAdded={() => setTestsVersion((n) => n + 1)} />
            )}
            <Stack spacing={2} sx={{ minWidth: 0 }}>
              <LatestSimulationCard version={version} />
              <TestCasesPanel version={version} definition={definition} unsaved={dirty} facts={factMap} reloadKey={testsVersion} />
            </Stack>
          </Box>
        </Box>
      </Stack>
    </BuilderContext.Provider>
  );
};
