import { Chip } from '@mui/material';
import { DataTable, DateField, DateTimeInput, List, TextInput, useGetManyAggregate, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { localName } from '../common/tierNames';
import { DecisionDetail } from './DecisionDetail';
import type { DecisionSummary, PolicyVersion } from '../dataProvider/types';

const filters = [
  <TextInput key="customerId" source="customerId" alwaysOn resettable data-testid="decision-customer" />,
  <TextInput key="policy" source="policy" alwaysOn />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
];

/** The tier by its name in the deciding version (fetched once per version for the whole page). */
const TierField = () => {
  const record = useRecordContext<DecisionSummary>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const versionId = record?.versionId;
  const { data } = useGetManyAggregate<PolicyVersion>('policy-versions', { ids: versionId ? [versionId] : [] }, { enabled: !!versionId });
  if (!record) return null;
  const key = record.tierKey;
  const tier = data?.[0]?.definition.tiers.find((t) => t.key === key);
  return (
    <Chip
      size="small"
      color={key ? 'primary' : 'default'}
      data-testid="decision-tier"
      data-tier={key ?? ''}
      label={key ? (tier ? localName(tier, locale) : key) : translate('tw.tryIt.notRated')}
    />
  );
};

const VersionField = () => {
  const record = useRecordContext<DecisionSummary>();
  if (!record) return null;
  return (
    <span>
      {record.policyKey} v{record.versionNumber}
    </span>
  );
};

/** Look up a customer: each decision with the version that made it, its inputs and explanation. */
export const DecisionList = () => (
  // empty={false}: the customer search stays on screen when nothing is found (or nothing logged yet).
  <List sort={{ field: 'evaluatedAt', order: 'DESC' }} filters={filters} perPage={25} empty={false}>
    <DataTable expand={<DecisionDetail />} rowClick="expand" bulkActionButtons={false}>
      <DataTable.Col source="evaluatedAt">
        <DateField source="evaluatedAt" showTime />
      </DataTable.Col>
      <DataTable.Col source="customerId" />
      <DataTable.Col source="policy" disableSort>
        <VersionField />
      </DataTable.Col>
      <DataTable.Col source="tier" disableSort>
        <TierField />
      </DataTable.Col>
    </DataTable>
  </List>
);
