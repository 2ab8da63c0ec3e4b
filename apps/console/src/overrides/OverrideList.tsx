import { DataTable, List, SelectInput, TextField, TextInput, useListContext, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { localName } from '../common/tierNames';
import { useFormatters } from '../i18n/format';
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
/** The tier's name in the user's language (the English name in the English console, when the tier has one). */
const Tier = () => {
  const r = useRecordContext<Override>();
  const [locale] = useLocaleState();
  return r ? (
    <span data-testid="override-tier" data-tier={r.tier.key}>
      {localName({ name: r.tier.name ?? r.tier.key, nameEn: r.tier.nameEn ?? undefined }, locale)}
    </span>
  ) : null;
};
/** Date and time in the locale's medium form, on one line ("Dec 1, 2026, 4:50 PM" / "2026年12月1日 16:50"). */
const When = ({ value }: { value: string | null }) => {
  const format = useFormatters();
  return value ? <span style={{ whiteSpace: 'nowrap' }}>{format.dateTime(value)}</span> : null;
};
const Requested = () => {
  const r = useRecordContext<Override>();
  return r ? <When value={r.requestedAt} /> : null;
};
const Customer = () => {
  const r = useRecordContext<Override>();
  return r ? <Link to={`/customers/${encodeURIComponent(r.customerId)}`}>{r.customerId}</Link> : null;
};
const Expires = () => {
  const r = useRecordContext<Override>();
  const translate = useTranslate();
  if (!r) return null;
  return r.expiresAt ? <When value={r.expiresAt} /> : <span>{translate('tw.events.overrides.never')}</span>;
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
      {/* nine columns within 1280 px with English tier names: headers on one line, tighter cell padding */}
      <DataTable
        bulkActionButtons={false}
        rowClick={false}
        data-testid="override-list"
        sx={{ '& .MuiTableCell-root': { px: 1 }, '& .MuiTableCell-head': { whiteSpace: 'nowrap' } }}
      >
        <DataTable.Col source="requestedAt">
          <Requested />
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
