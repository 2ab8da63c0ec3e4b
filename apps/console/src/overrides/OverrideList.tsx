import { DataTable, DateField, List, SelectInput, TextField, TextInput, useListContext, useRecordContext, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import type { Override } from './api';
import { OverrideActions } from './OverrideActions';
import { OverrideStatusChip } from './OverrideStatusChip';

const STATUSES = ['pending', 'active', 'rejected', 'withdrawn', 'ended', 'expired'] as const;

const Filters = () => {
  const translate = useTranslate();
  return [
    <SelectInput key="status" source="status" alwaysOn choices={STATUSES.map((s) => ({ id: s, name: translate(`tw.events.overrides.statuses.${s}`) }))} />,
    <TextInput key="customerId" source="customerId" alwaysOn />,
    <TextInput key="policy" source="policy" />,
  ];
};

const Status = () => {
  const r = useRecordContext<Override>();
  return r ? <OverrideStatusChip status={r.status} /> : null;
};
const Mode = () => {
  const r = useRecordContext<Override>();
  const translate = useTranslate();
  return r ? <span>{translate(`tw.events.overrides.modes.${r.mode}`)}</span> : null;
};
const Tier = () => {
  const r = useRecordContext<Override>();
  return r ? <span>{r.tier.name}</span> : null;
};
const Customer = () => {
  const r = useRecordContext<Override>();
  return r ? <Link to={`/customers/${encodeURIComponent(r.customerId)}`}>{r.customerId}</Link> : null;
};
const Expires = () => {
  const r = useRecordContext<Override>();
  const translate = useTranslate();
  if (!r) return null;
  return r.expiresAt ? <DateField source="expiresAt" showTime /> : <span>{translate('tw.events.overrides.never')}</span>;
};
const Actions = () => {
  const r = useRecordContext<Override>();
  const { refetch } = useListContext();
  return r ? <OverrideActions override={r} onDone={() => void refetch()} /> : null;
};

/** Every override (contract §9): filter by status, customer, policy; approve / reject / end from the list. */
export const OverrideList = () => {
  const filters = Filters();
  return (
    <List sort={{ field: 'requestedAt', order: 'DESC' }} filters={filters} filterDefaultValues={{ status: 'pending' }}>
      <DataTable bulkActionButtons={false} rowClick={false} data-testid="override-list">
        <DataTable.Col source="requestedAt">
          <DateField source="requestedAt" showTime />
        </DataTable.Col>
        <DataTable.Col source="customerId">
          <Customer />
        </DataTable.Col>
        <DataTable.Col source="policy" disableSort>
          <TextField source="policy" />
        </DataTable.Col>
        <DataTable.Col source="mode" disableSort>
          <Mode />
        </DataTable.Col>
        <DataTable.Col source="tier" disableSort>
          <Tier />
        </DataTable.Col>
        <DataTable.Col source="status">
          <Status />
        </DataTable.Col>
        <DataTable.Col source="expiresAt">
          <Expires />
        </DataTable.Col>
        <DataTable.Col source="requestedBy" disableSort>
          <TextField source="requestedBy" />
        </DataTable.Col>
        <DataTable.Col source="id" disableSort label=" ">
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
