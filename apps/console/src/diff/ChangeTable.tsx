import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormatters } from '../i18n/format';
import { getOperator } from '../policy-versions/model/operators';
import type { Change } from './diff';

/** Resolves `when.any[0].value` inside `root` to the comparison it belongs to: "日均资产 ≥". */
function describe(root: unknown, path: string, facts: Map<string, FactDefinition>, locale: string): string {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts[parts.length - 1] !== 'value') return path;
  let node: unknown = root;
  for (const p of parts.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
  const leaf = node as { fact?: string; operator?: string } | undefined;
  if (!leaf?.fact) return path;
  const fact = facts.get(leaf.fact);
  const label = fact ? (locale === 'en' && fact.labelEn) || fact.label : leaf.fact;
  return `${label} ${getOperator(leaf.operator ?? '')?.symbol ?? leaf.operator ?? ''}`;
}

export const ChangeTable = ({ changes, root, facts }: { changes: Change[]; root: unknown; facts: Map<string, FactDefinition> }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'number' ? format.number(v) : JSON.stringify(v));
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate('tw.diff.what')}</TableCell>
          <TableCell align="right">{translate('tw.diff.before')}</TableCell>
          <TableCell align="right">{translate('tw.diff.after')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((c) => (
          <TableRow key={`${c.kind}:${c.path}`} data-testid="diff-change" data-path={c.path}>
            <TableCell title={c.path}>{describe(root, c.path, facts, locale)}</TableCell>
            <TableCell
              align="right"
              sx={{ bgcolor: c.kind !== 'added' ? 'rgba(211,47,47,0.08)' : undefined, textDecoration: c.kind === 'removed' ? 'line-through' : undefined }}
            >
              {show(c.before)}
            </TableCell>
            <TableCell align="right" sx={{ bgcolor: c.kind !== 'removed' ? 'rgba(46,125,50,0.12)' : undefined, fontWeight: 600 }}>
              {show(c.after)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
