import type { Messages } from './messages';

/** Population-relative conditions (contract §10): their parameters in the rule builder and the frozen cut-offs. */
export const populationEn = {
  quantiles: 'Buckets',
  best: 'Ranks first',
  highest: 'Highest value',
  lowest: 'Lowest value',
  cumulative: 'Cumulative (the best who together bring it)',
  groupBy: 'Rank within (optional)',
  cutoffs: 'Cut-offs of the population conditions',
  cutoffsHelp: 'Frozen by this run over its population (facts as of %{asOf}, %{population} customers ranked); approving the run approves them.',
  condition: 'Condition',
  group: 'Group',
  cutoff: 'Value at the cut',
  lastApplied: 'Last applied run',
  ranked: 'Ranked',
  qualifying: 'At or beyond the cut',
  noGroup: '(none)',
};

export const populationZh: Messages<typeof populationEn> = {
  quantiles: '分档数',
  best: '排名方向',
  highest: '越高越好',
  lowest: '越低越好',
  cumulative: '累计（合计达到该占比的头部客户）',
  groupBy: '分组排名（可选）',
  cutoffs: '总体排名条件的门槛',
  cutoffsHelp: '由本批次在其客户总体上冻结（数据日期 %{asOf}，参与排名 %{population} 名客户）；批准批次即批准这些门槛。',
  condition: '条件',
  group: '分组',
  cutoff: '门槛值',
  lastApplied: '最近生效批次',
  ranked: '参与排名',
  qualifying: '达到门槛（含并列）',
  noGroup: '（无）',
};
