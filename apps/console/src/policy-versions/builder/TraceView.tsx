import CheckIcon from '@mui/icons-material/CheckCircleOutlineOutlined';
import CloseIcon from '@mui/icons-material/HighlightOff';
import { Box, Stack, Typography } from '@mui/material';
import type { ConditionTrace, FactDefinition, TraceEntry } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormatters, type Formatters } from '../../i18n/format';
import { getOperator } from '../model/operators';

const Mark = ({ ok }: { ok: boolean }) => (ok ? <CheckIcon fontSize="inherit" color="success" /> : <CloseIcon fontSize="inherit" color="disabled" />);

type Translate = (key: string) => string;
/** Comparisons read best as their symbol; every other operator by its name. */
const SYMBOLS = new Set(['=', '≠', '<', '≤', '>', '≥']);
const show = (value: unknown, format: Formatters, translate: Translate): string =>
  typeof value === 'boolean'
    ? translate(`ra.boolean.${value}`)
    : typeof value === 'number'
      ? format.number(value)
      : typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? value.map((v) => show(v, format, translate)).join(', ')
          : JSON.stringify(value);

interface Labels {
  facts: Map<string, FactDefinition>;
  locale: string;
}
const labelOf = (key: string, { facts, locale }: Labels) => {
  const fact = facts.get(key);
  return fact ? (locale === 'en' && fact.labelEn) || fact.label : key;
};

/**
 * One condition as evaluated, in words: "日均综合金融资产：1,200,000 ≥ 1,000,000 ✓"; a yes / no fact
 * reads "持有有效证件：是" (and what it needs when it fails), never "= true · 等于 true".
 */
const ConditionLine = ({ trace, labels }: { trace: ConditionTrace; labels: Labels }) => {
  const translate = useTranslate();
  const format = useFormatters();
  if (trace.type === 'leaf') {
    const op = getOperator(trace.operator);
    const seen = trace.missing ? translate('tw.trace.missing') : show(trace.factValue, format, translate);
    const against = trace.valueFact ? `${labelOf(trace.valueFact, labels)} (${show(trace.value, format, translate)})` : show(trace.value, format, translate);
    const colon = labels.locale === 'en' ? ': ' : '：';
    const isYesNo = trace.operator === 'equal' && typeof trace.value === 'boolean' && !trace.valueFact;
    const test = isYesNo
      ? trace.result
        ? ''
        : ` · ${translate('tw.trace.needs')} ${against}`
      : ` ${op && SYMBOLS.has(op.symbol) ? op.symbol : op ? (labels.locale === 'en' ? op.label : op.labelZh) : trace.operator} ${against}`;
    return (
      <Typography variant="body2" component="div" data-testid="trace-leaf">
        <Mark ok={trace.result} /> {labelOf(trace.fact, labels)}
        {colon}
        {seen}
        {test}
      </Typography>
    );
  }
  // A named condition shows what it checks, in place: its name is the author's code name (platinumAssets), not a text for the reader.
  if (trace.type === 'condition')
    return (
      <>
        {trace.children.map((child, i) => (
          <ConditionLine key={i} trace={child} labels={labels} />
        ))}
      </>
    );
  const title = translate(`tw.trace.${trace.type}`);
  return (
    <Box>
      <Typography variant="body2" component="div">
        <Mark ok={trace.result} /> {title}
      </Typography>
      <Box sx={{ pl: 2 }}>
        {trace.children.map((child, i) => (
          <ConditionLine key={i} trace={child} labels={labels} />
        ))}
      </Box>
    </Box>
  );
};

/** The plain-language explanation of one evaluation: eligibility, scores, then each tier tried. */
export const TraceView = ({ trace, facts, tierNames }: { trace: TraceEntry[]; facts: Map<string, FactDefinition>; tierNames: Map<string, string> }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const labels = { facts, locale };
  return (
    <Stack spacing={1} data-testid="trace">
      {trace.map((entry, i) => {
        if (entry.kind === 'eligibility') {
          return (
            <Box key={i}>
              <Typography variant="subtitle2">
                <Mark ok={entry.matched} /> {translate('tw.trace.eligibility')}
              </Typography>
              <Box sx={{ pl: 2 }}>
                <ConditionLine trace={entry.condition} labels={labels} />
              </Box>
            </Box>
          );
        }
        if (entry.kind === 'score') {
          return (
            <Box key={i}>
              <Typography variant="subtitle2">
                {labelOf(entry.score, labels)} = {format.number(entry.value)}
              </Typography>
              <Box sx={{ pl: 2 }}>
                {entry.components.map((c, j) => (
                  <Typography key={j} variant="body2">
                    {c.label}: {format.number(c.contribution)}
                  </Typography>
                ))}
                {entry.multipliers
                  .filter((m) => m.applied)
                  .map((m, j) => (
                    <Typography key={`m${j}`} variant="body2">
                      {m.label}: × {m.factor}
                    </Typography>
                  ))}
              </Box>
            </Box>
          );
        }
        return (
          <Box key={i}>
            <Typography variant="subtitle2">
              <Mark ok={entry.matched} /> #{entry.rank} {tierNames.get(entry.tier) ?? entry.tier}
              {entry.condition ? '' : ` · ${translate('tw.builder.catchAll')}`}
            </Typography>
            {entry.condition && (
              <Box sx={{ pl: 2 }}>
                <ConditionLine trace={entry.condition} labels={labels} />
              </Box>
            )}
          </Box>
        );
      })}
    </Stack>
  );
};
