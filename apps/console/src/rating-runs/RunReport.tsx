import { Accordion, AccordionDetails, AccordionSummary, Box, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import type { FactDefinition } from '@tierwise/policy-engine';
import { useLocaleState, useTranslate } from 'react-admin';
import type { RatingRunGroup, RatingRunResult, RatingRunSample } from '../dataProvider/rating';
import { Figure } from '../common/Figure';
import { factLabel, showValue } from '../common/labels';
import { useFormatters } from '../i18n/format';
import type { TierAxis } from '../simulations/tiers';

const FIGURES = [
  ['total', undefined],
  ['entered', 'info.main'],
  ['upgrades', 'success.main'],
  ['downgrades', 'error.main'],
  ['unchanged', undefined],
  ['held', 'warning.main'],
] as const;

/** Customers, first rated, upgrades, downgrades, unchanged and held — the proposal's headline. */
export const RunFigures = ({ result }: { result: RatingRunResult }) => {
  const translate = useTranslate();
  const format = useFormatters();
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {FIGURES.map(([key, color]) => (
        <Figure key={key} label={translate(`tw.rating.figures.${key}`)} value={format.number(result[key], 0)} testId={`run-${key}`} color={color} width={140} />
      ))}
    </Stack>
  );
};

/** Held customers per lifecycle rule (grace, keep condition). */
export const HeldBy = ({ result }: { result: RatingRunResult }) => {
  const translate = useTranslate();
  const format = useFormatters();
  const entries = Object.entries(result.heldBy ?? {}).filter(([, n]) => n > 0);
  if (!entries.length) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="run-held-by">
      <Typography variant="body2">{translate('tw.rating.heldBy')}:</Typography>
      {entries.map(([rule, n]) => (
        <Chip
          key={rule}
          size="small"
          color="warning"
          variant="outlined"
          label={`${translate(`tw.rating.rule.${rule}`, { _: rule })} · ${format.number(n, 0)}`}
        />
      ))}
    </Stack>
  );
};

/** A version and the rollout step that applied (null: the version for everyone else), as the run report and the customer page name it. */
export const rolloutLabel = (translate: ReturnType<typeof useTranslate>, v: { number: number; rolloutStep: number | null }) =>
  v.rolloutStep === null
    ? translate('tw.rating.rollout.others', { number: v.number })
    : translate('tw.rating.rollout.step', { number: v.number, step: v.rolloutStep + 1 });

/** During a regional rollout at the run's instant: customers rated with each version, by the step that applied. */
export const RunRollout = ({ result }: { result: RatingRunResult }) => {
  const translate = useTranslate();
  const format = useFormatters();
  if (!result.rollout?.length) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="run-rollout">
      <Typography variant="body2">{translate('tw.rating.rollout.title')}:</Typography>
      {result.rollout.map((v) => (
        <Chip
          key={`${v.versionId}|${v.rolloutStep ?? ''}`}
          size="small"
          color="info"
          variant="outlined"
          data-testid="run-rollout-version"
          label={`${rolloutLabel(translate, v)} · ${format.number(v.customers, 0)}`}
        />
      ))}
    </Stack>
  );
};

const groupName = (g: RatingRunGroup) => Object.values(g.group).map(String).join(' / ');

/** Per group: customers, how they move, and the tiers after the run. */
export const RunGroupTable = ({
  groups,
  axis,
  facts,
  groupBy,
}: {
  groups: RatingRunGroup[];
  axis: TierAxis[];
  facts: Map<string, FactDefinition>;
  groupBy: string[];
}) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  return (
    <Box sx={{ overflowX: 'auto', contain: 'inline-size' }}>
      <Table size="small" data-testid="run-groups">
        <TableHead>
          <TableRow>
            <TableCell>{groupBy.map((k) => factLabel(facts.get(k), k, locale)).join(' / ') || translate('tw.rating.group')}</TableCell>
            {FIGURES.map(([key]) => (
              <TableCell key={key} align="right">
                {translate(`tw.rating.figures.${key}`)}
              </TableCell>
            ))}
            {axis.map((t) => (
              <TableCell key={t.key} align="right">
                {t.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {groups.map((g) => (
            <TableRow key={groupName(g)} data-testid="run-group">
              <TableCell>{groupName(g)}</TableCell>
              {FIGURES.map(([key]) => (
                <TableCell key={key} align="right">
                  {format.number(g[key], 0)}
                </TableCell>
              ))}
              {axis.map((t) => (
                <TableCell key={t.key} align="right">
                  {format.number(g.after?.[t.key] ?? 0, 0)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

/** Samples per move and rule: the customers' facts, why the version rates them, and the lifecycle rule that placed them. */
export const RunSamples = ({
  samples,
  tierNames,
  facts,
  selected,
}: {
  samples: RatingRunSample[];
  tierNames: Map<string, string>;
  facts: Map<string, FactDefinition>;
  /** Open the samples of this matrix cell. */
  selected?: { from: string; to: string } | null;
}) => {
  const translate = useTranslate();
  const format = useFormatters();
  const [locale] = useLocaleState();
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en';
  const name = (key: string | null) => (key === null || key === 'null' ? translate('tw.tryIt.notRated') : (tierNames.get(key) ?? key));
  if (!samples.length) return <Typography color="text.secondary">{translate('tw.rating.noSamples')}</Typography>;
  return (
    <Box data-testid="run-samples">
      {samples.map((s) => {
        const open = !!selected && selected.from === s.from && selected.to === s.to;
        return (
          <Accordion
            key={`${s.from}|${s.to}|${s.change}|${s.rule}|${s.version ? `${s.version.id}|${s.version.rolloutStep ?? ''}` : ''}|${open}`}
            defaultExpanded={open}
            disableGutters
            data-testid="run-sample-group"
            data-from={s.from}
            data-to={s.to}
            data-rule={s.rule ?? ''}
          >
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography sx={{ fontWeight: 600 }}>
                  {name(s.from)} → {name(s.to)}
                </Typography>
                <Chip size="small" label={translate(`tw.rating.change.${s.change}`, { _: s.change })} />
                {s.rule && <Chip size="small" variant="outlined" label={translate(`tw.rating.rule.${s.rule}`, { _: s.rule })} />}
                {s.version && <Chip size="small" color="info" variant="outlined" data-testid="run-sample-version" label={rolloutLabel(translate, s.version)} />}
                <Typography variant="body2" color="text.secondary">
                  {s.lifecycle[lang]}
                </Typography>
              </Stack>
            </AccordionSummary>
            <AccordionDetails>
              {s.customers.map((c) => (
                <Box key={c.row} sx={{ mb: 2 }} data-testid="run-sample" data-customer={c.customerId ?? ''}>
                  <Typography variant="subtitle2">
                    {c.customerId ?? `#${c.row}`} · {translate('tw.rating.ratedAs', { tier: name(c.rated) })}
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {Object.entries(c.facts ?? {})
                      .filter(([k]) => k !== 'customerId')
                      .map(([k, v]) => `${factLabel(facts.get(k), k, locale)}: ${showValue(v, format, translate)}`)
                      .join(' · ')}
                  </Typography>
                  {(c.explanation?.[lang] ?? []).map((line, i) => (
                    <Typography key={i} variant="body2" data-testid="explanation-line">
                      {line}
                    </Typography>
                  ))}
                  <Typography variant="body2" sx={{ fontStyle: 'italic' }} data-testid="lifecycle-line">
                    {c.lifecycle?.[lang]}
                  </Typography>
                </Box>
              ))}
            </AccordionDetails>
          </Accordion>
        );
      })}
    </Box>
  );
};
