import { Chip } from '@mui/material';
import { DataTable, DateField, DateTimeInput, List, TextInput, useRecordContext, useTranslate } from 'react-admin';
import { DecisionDetail } from './DecisionDetail';
import type { Decision } from '../dataProvider/types';

const filters = [
  <TextInput key="customerId" source="customerId" alwaysOn resettable data-testid="decision-customer" />,
  <TextInput key="policy" source="policy" alwaysOn />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
];

const TierField = () => {
  const record = useRecordContext<Decision>();
  const translate = useTranslate();
  if (!record) return null;
  const key = record.tier?.key ?? record.tierKey;
  return (
    <Chip
      size="small"
      color={key ? 'primary' : 'default'}
      label={key ? (record.tier ? `${record.tier.name} (${key})` : key) : translate('tw.tryIt.notRated')}
    />
  );
};

const VersionField = () => {
  const record = useRecordContext<Decision>();
  if (!record) return null;
  return (
    <span>
      {record.policy?.key ?? record.policyKey} v{record.policy?.number ?? record.versionNumber}
    </span>
  );
};

/** Look up a customer: each decision with the version that made it, its inputs and explanation. */
export const DecisionList = () => (
  <List sort={{ field: 'evaluatedAt', order: 'DESC' }} filters={filters} perPage={25}>
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
