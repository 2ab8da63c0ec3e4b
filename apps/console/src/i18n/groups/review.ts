import type { Messages } from './messages';

/** The review screen (/review/:id). */
export const reviewEn = {
  title: 'Review',
  open: 'Review',
  submitted: 'Submitted by %{who} on %{when}',
  comment: "Submitter's comment",
  noComment: 'The submitter left no comment.',
  changes: 'What changed (against %{base})',
  fullDiff: 'Full comparison',
  firstVersion: 'The first version of this policy: there is nothing to compare it with.',
  openRules: 'Open the rules',
  noTier: 'Changes no tier uses',
};

export const reviewZh: Messages<typeof reviewEn> = {
  title: '审批',
  open: '审批',
  submitted: '%{who} 于 %{when} 提交',
  comment: '提交人说明',
  noComment: '提交人未填写说明。',
  changes: '变更内容（对比 %{base}）',
  fullDiff: '完整对比',
  firstVersion: '这是该策略的第一个版本，没有可对比的版本。',
  openRules: '查看规则',
  noTier: '不影响任何等级的变更',
};
