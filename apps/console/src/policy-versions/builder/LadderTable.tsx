import DragIcon from '@mui/icons-material/DragIndicator';
import { Box, Chip, IconButton, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMemo } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { FormattedNumberInput } from '../../common/FormattedNumberInput';
import { MoveButtons } from '../../common/MoveButtons';
import { factLabel } from '../../common/labels';
import { localName } from '../../common/tierNames';
import { useFormatters } from '../../i18n/format';
import { cellText, INLINE_OPERATORS, isInlineNumeric, ladderTable, wanYi, type LadderCell, type LadderRow } from '../model/ladder';
import { getOperator } from '../model/operators';
import { issuesUnder } from '../model/issues';
import { moveItem } from '../model/paths';
import { useBuilder } from './BuilderContext';

const rowId = (index: number) => `tier-${index}`;

/** One threshold: operator and number edited in place, with its 万/亿 reading; other comparisons as text (edited in the tree). */
const Cell = ({ cell, fact }: { cell: LadderCell; fact: string }) => {
  const { readOnly, update, errors } = useBuilder();
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const { leaf } = cell;
  const reading = typeof leaf.value === 'number' ? wanYi(leaf.value) : null;
  const invalid = issuesUnder(errors, cell.path).length > 0;
  const via = cell.via ? (
    <Typography variant="caption" color="text.secondary" component="div" sx={{ whiteSpace: 'nowrap' }} data-testid="cell-via">
      {translate('tw.ladder.via', { name: cell.via })}
    </Typography>
  ) : null;
  if (readOnly || !isInlineNumeric(leaf)) {
    return (
      <Box data-testid="ladder-cell" data-fact={fact} data-value={String(leaf.value)} sx={{ py: 0.5 }}>
        <Typography variant="body2" sx={{ whiteSpace: 'nowrap', fontWeight: 500 }}>
          {cellText(
            leaf,
            (n) => format.number(n),
            locale,
            (b) => translate(`ra.boolean.${b}`),
          )}
        </Typography>
        {reading && (
          <Typography variant="caption" color="text.secondary" component="div">
            {reading}
          </Typography>
        )}
        {via}
      </Box>
    );
  }
  return (
    <Box data-testid="ladder-cell" data-fact={fact} data-value={String(leaf.value)} sx={{ py: 0.5 }}>
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }}>
        <TextField
          select
          size="small"
          value={leaf.operator}
          onChange={(e) => update([...cell.path, 'operator'], e.target.value)}
          sx={{ width: 64, flex: '0 0 auto' }}
          slotProps={{ htmlInput: { 'data-testid': 'ladder-operator', 'aria-label': translate('tw.builder.operator') } }}
        >
          {INLINE_OPERATORS.map((name) => (
            <MenuItem key={name} value={name} title={locale === 'en' ? getOperator(name)?.label : getOperator(name)?.labelZh}>
              {getOperator(name)?.symbol}
            </MenuItem>
          ))}
        </TextField>
        <FormattedNumberInput
          size="small"
          value={leaf.value as number}
          onChange={(v) => v !== null && update([...cell.path, 'value'], v)}
          error={invalid}
          helperText={reading ?? ' '}
          sx={{ width: 150, flex: '0 0 auto' }}
          slotProps={{ htmlInput: { 'data-testid': 'ladder-value', 'aria-label': translate('tw.builder.value') } }}
        />
      </Stack>
      {via}
    </Box>
  );
};

const Row = ({ row, columns, count }: { row: LadderRow; columns: string[]; count: number }) => {
  const { definition, packages, readOnly, update, warnings } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: rowId(row.index), disabled: readOnly });
  const move = (to: number) => update(['tiers'], moveItem(definition.tiers, row.index, to));
  const pkg = packages.find((p) => p.key === row.tier.benefitPackage);
  const warned = issuesUnder(warnings, ['tiers', row.index]).length > 0;
  return (
    <TableRow
      ref={setNodeRef}
      data-testid="ladder-row"
      data-tier={row.tier.key}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      sx={{ bgcolor: isDragging ? 'action.selected' : undefined, position: 'relative', zIndex: isDragging ? 1 : undefined, verticalAlign: 'top' }}
    >
      <TableCell padding="none" sx={{ width: 40, pl: 0.5 }}>
        {!readOnly && (
          <IconButton
            size="small"
            {...attributes}
            {...listeners}
            aria-label={translate('tw.ladder.drag')}
            data-testid="ladder-drag"
            sx={{ cursor: 'grab', touchAction: 'none' }}
          >
            <DragIcon fontSize="small" />
          </IconButton>
        )}
      </TableCell>
      <TableCell sx={{ minWidth: 200 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Chip label={`#${row.index + 1}`} size="small" color={warned ? 'warning' : 'primary'} />
          <Typography variant="subtitle2" data-testid="ladder-tier-name">
            {localName(row.tier, locale)}
          </Typography>
        </Stack>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ fontFamily: 'monospace' }}>
          {row.tier.key}
        </Typography>
        {pkg && (
          <Typography variant="caption" color="text.secondary" component="div">
            {localName(pkg, locale)}
          </Typography>
        )}
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        <Chip size="small" variant="outlined" label={translate(`tw.ladder.kind.${row.kind}`)} data-testid="ladder-kind" data-kind={row.kind} />
      </TableCell>
      {columns.map((fact) => (
        <TableCell key={fact}>
          {(row.cells[fact] ?? []).map((cell) => (
            <Cell key={cell.path.join('.')} cell={cell} fact={fact} />
          ))}
          {!row.cells[fact] && row.kind !== 'catch-all' && (
            <Typography variant="body2" color="text.disabled">
              —
            </Typography>
          )}
        </TableCell>
      ))}
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        {row.hidden > 0 && (
          <Typography variant="caption" color="warning.main" data-testid="ladder-hidden">
            {translate('tw.ladder.hidden', { smart_count: row.hidden })}
          </Typography>
        )}
        {!readOnly && (
          <Stack direction="row">
            <MoveButtons index={row.index} count={count} onMove={move} testIdPrefix="ladder" />
          </Stack>
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * The ladder at a glance: one row per tier in ladder order, one column per fact compared, each
 * threshold edited in place. Rows reorder by drag (or the arrows, or the keyboard on the handle).
 */
export const LadderTable = () => {
  const { definition, facts, update } = useBuilder();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const table = useMemo(() => ladderTable(definition), [definition]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = Number(String(active.id).slice(5));
    const to = Number(String(over.id).slice(5));
    update(['tiers'], moveItem(definition.tiers, from, to));
  };
  return (
    // contain: the table scrolls inside its card instead of widening the whole page
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <Table size="small" data-testid="ladder-table">
          <TableHead>
            <TableRow>
              <TableCell padding="none" />
              <TableCell>{translate('tw.ladder.tier')}</TableCell>
              <TableCell>{translate('tw.ladder.combine')}</TableCell>
              {table.columns.map((fact) => (
                <TableCell key={fact} sx={{ minWidth: 230 }} data-testid="ladder-column" data-fact={fact}>
                  <Typography variant="subtitle2" component="div">
                    {factLabel(facts.get(fact), fact, locale)}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
                    {fact}
                  </Typography>
                </TableCell>
              ))}
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            <SortableContext items={table.rows.map((r) => rowId(r.index))} strategy={verticalListSortingStrategy}>
              {table.rows.map((row) => (
                <Row key={rowId(row.index)} row={row} columns={table.columns} count={table.rows.length} />
              ))}
            </SortableContext>
          </TableBody>
        </Table>
      </DndContext>
    </Box>
  );
};
