import type { Messages } from './messages';

/** The ladder table and grid of the tiers tab. */
export const ladderEn = {
  views: { table: 'Ladder table', grid: 'Grid (2 dimensions)', tree: 'Condition tree' },
  tier: 'Tier',
  combine: 'Needs',
  kind: { any: 'any one', all: 'all', single: 'this', 'catch-all': 'everyone else', other: 'see tree' },
  via: 'in named condition %{name}',
  hidden: '1 more condition in the tree |||| %{smart_count} more conditions in the tree',
  drag: 'Drag to reorder',
  noGrid: 'The grid needs a ladder on exactly two facts, each tier requiring both.',
};

export const ladderZh: Messages<typeof ladderEn> = {
  views: { table: '阶梯表', grid: '二维网格', tree: '条件树' },
  tier: '等级',
  combine: '满足',
  kind: { any: '任一', all: '全部', single: '此条件', 'catch-all': '其余客户', other: '见条件树' },
  via: '在命名条件 %{name} 中',
  hidden: '另有 %{smart_count} 个条件，请在条件树中编辑',
  drag: '拖动排序',
  noGrid: '二维网格要求阶梯恰好按两个指标分级，且每个等级两者都须满足。',
};
