import { CircularProgress } from '@mui/material';
import type { BenefitPackage, FactDefinition } from '@tierwise/policy-engine';
import { useParams } from 'react-router-dom';
import { Title, useGetList, useGetOne, useTranslate } from 'react-admin';
import type { Policy, PolicyVersion } from '../dataProvider/types';
import { VersionWorkspace } from './VersionWorkspace';

const ALL = { pagination: { page: 1, perPage: 1000 }, sort: { field: 'key', order: 'ASC' as const } };

/** /policy-versions/:id — loads the version, its policy and the catalogs, then opens the rule builder. */
const VersionEditor = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const version = useGetOne<PolicyVersion>('policy-versions', { id });
  const policy = useGetOne<Policy>('policies', { id: version.data?.policyId ?? '' }, { enabled: !!version.data?.policyId });
  const facts = useGetList<FactDefinition & { id: string }>('facts', ALL);
  const packages = useGetList<BenefitPackage & { id: string }>('benefit-packages', ALL);
  if (version.error) return <Title title={translate('ra.page.error')} />;
  if (!version.data || !facts.data || !packages.data) return <CircularProgress sx={{ m: 4 }} />;
  return (
    <VersionWorkspace
      key={`${version.data.id}:${version.data.revision}:${version.data.status}`}
      version={version.data}
      policy={policy.data}
      facts={facts.data}
      packages={packages.data}
    />
  );
};

export default VersionEditor;
