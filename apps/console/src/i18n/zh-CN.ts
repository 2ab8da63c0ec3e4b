import type { AppMessages } from './en';

/** 控制台的简体中文文案（键与 en.ts 完全一致，缺键时类型检查失败）。 */
export const zhCN: AppMessages = {
  resources: {
    policies: {
      name: '分级策略',
      fields: { key: '键', name: '名称', description: '说明', activeVersionId: '生效版本' },
    },
    'policy-versions': {
      name: '版本',
      fields: { number: '版本', status: '状态', changeNote: '变更说明', effectiveFrom: '生效时间' },
    },
    simulations: {
      name: '模拟试算',
      fields: { createdAt: '开始时间', policyId: '策略', candidateVersionId: '候选 ← 基准', status: '状态', createdBy: '发起人' },
    },
    decisions: {
      name: '分级决策',
      fields: { evaluatedAt: '评估时间', customerId: '客户号', policy: '策略', tier: '等级', from: '起', to: '止' },
    },
    datasets: { name: '数据集', fields: { name: '名称', rowCount: '行数' } },
    facts: {
      name: '指标',
      fields: { key: '键', label: '名称', labelEn: '英文名称', type: '类型', unit: '单位', enumValues: '可选值', description: '说明' },
    },
    benefits: {
      name: '权益',
      fields: { key: '键', name: '名称', nameEn: '英文名称', unitCost: '单位成本（元）', description: '说明' },
    },
    'benefit-packages': {
      name: '权益包',
      fields: { key: '键', name: '名称', nameEn: '英文名称', benefits: '包含权益' },
    },
    users: {
      name: '用户',
      fields: { username: '用户名', roles: '角色', active: '启用', createdAt: '创建时间', password: '新密码' },
    },
    'audit-events': {
      name: '审计日志',
      fields: {
        seq: '序号', at: '时间', actor: '操作人', action: '操作', entityType: '对象类型', entityId: '对象 ID',
        comment: '备注', diff: '变更内容', from: '起', to: '止',
      },
    },
  },
  tw: {
    app: { title: 'Tierwise 客户分级' },
    factTypes: {
      number: '数值', integer: '整数', boolean: '是/否', string: '文本', enum: '枚举', 'string[]': '文本列表', date: '日期',
    },
    validation: { key: '只能包含字母、数字和下划线，且以字母开头' },
    status: {
      draft: '草稿', in_review: '审批中', approved: '已批准', scheduled: '待生效', published: '已发布',
      superseded: '已被取代', retired: '已停用', active: '生效中',
    },
    dashboard: {
      title: '概览',
      health: { title: '系统状态', status: '服务状态', database: '数据库', version: '版本', unreachable: '无法连接 API' },
      policies: '策略生效情况', review: '待我审批', nothingToReview: '暂无待您审批的版本。',
      simulations: '最近的模拟试算', audit: '审计链',
    },
    policies: {
      versions: '版本记录', noVersions: '还没有版本。', noActive: '无生效版本', newDraft: '新建草稿', defaultTier: '其他客户',
    },
    templates: {
      button: '从模板新建', title: '从内置模板新建分级策略', template: '模板',
      keyHelp: '新策略的键（字母、数字、- 和 _），默认与模板相同',
      create: '创建草稿', created: '已创建策略 %{key}（草稿，含 %{tests} 个测试用例）',
    },
    roles: { admin: '管理员', author: '策略编写', approver: '审批人', compliance: '合规', viewer: '只读', service: '系统（API）' },
    workflow: {
      submit: '提交审批', approve: '批准', reject: '驳回', publish: '发布', retire: '停用',
      'new-draft': '基于此版本新建草稿', comment: '审批意见', effectiveFrom: '生效日期', now: '立即', tomorrow: '明天 00:00',
      saveFailed: '草稿保存失败，未提交。',
      done: {
        submit: '已提交审批', approve: '已批准', reject: '已驳回为草稿', publish: '已发布',
        retire: '已停用', 'new-draft': '已新建草稿',
      },
    },
    builder: {
      tabs: { tiers: '等级', scores: '评分卡', eligibility: '参评条件', conditions: '命名条件', json: 'JSON' },
      firstMatchWins: '等级由高到低排列：客户归入第一个条件成立的等级。最后一个不设条件的等级兜底其余客户。',
      tierKey: '键', tierName: '名称', tierNameEn: '英文名称', benefitPackage: '权益包', noPackage: '无',
      addTier: '添加等级', newTier: '等级', catchAll: '兜底等级：未归入以上等级的所有客户', addConditions: '添加条件',
      makeCatchAll: '设为兜底等级（移除条件）',
      all: '以下条件全部满足', any: '以下条件满足任一', not: '以下条件不成立',
      addCondition: '条件', addGroup: '条件组', addNot: '非', addReference: '命名条件',
      fact: '指标', operator: '运算符', value: '取值', min: '下限', max: '上限', days: '天数', otherFact: '对比指标',
      compareFact: '与其他指标比较', namedCondition: '命名条件', unknownNode: '此部分只能在 JSON 页签中编辑。',
      scoresHelp: '评分卡按顺序计算；每个结果成为以其键命名的指标，可用于后续评分卡、参评条件和等级。',
      scoreKey: '评分键', scoreLabel: '名称', round: '小数位', components: '评分项', componentLabel: '名称',
      weight: '权重', points: '分值', factor: '系数', multipliers: '加成',
      addWeighted: '加权指标', addPoints: '条件得分', addMultiplier: '加成', addScorecard: '添加评分卡',
      eligibilityHelp: '哪些客户参与评级：不满足的客户不评级（无等级）。',
      everyoneRated: '所有客户都参与评级。', addEligibility: '添加参评条件',
      namedHelp: '定义一次、可在各等级中引用的条件。', conditionName: '名称', addNamed: '添加',
      issueSummary: '%{errors} 个错误，%{warnings} 个警告',
      changeNote: '变更说明', saved: '草稿已保存', conflict: '此草稿已被他人修改，请刷新后查看最新版本。',
      json: { notObject: '定义必须是一个 JSON 对象。', noTiers: '定义需要包含 "tiers" 列表。' },
    },
    trace: { eligibility: '参评条件', all: '全部满足', any: '满足任一', not: '不成立', missing: '（缺失）' },
    tryIt: {
      title: '试算', run: '评估', tier: '等级', notRated: '不评级', saveFirst: '有未保存的修改：试算使用已保存的草稿。',
      caseName: '测试用例名称', addCase: '保存为测试用例', caseAdded: '已添加测试用例', details: '逐项判定明细',
    },
    tests: {
      title: '测试用例', run: '运行', none: '还没有测试用例：可在“试算”中添加。', expected: '预期', actual: '实际',
      pass: '通过', fail: '未通过', summary: '%{total} 个中通过 %{passed} 个',
    },
    simulation: {
      title: '模拟试算', new: '新建模拟', run: '模拟', latest: '最近一次模拟', none: '尚未模拟。', open: '查看报告',
      policy: '策略', candidate: '候选版本', baseline: '基准版本', activeBaseline: '当前生效版本（默认）',
      dataset: '数据集', upload: '上传 CSV', rows: '行数', generate: '生成模拟数据', synthetic: '模拟数据',
      groupBy: '分组维度', start: '开始模拟',
      status: { queued: '排队中', running: '运行中', succeeded: '已完成', failed: '失败', cancelled: '已取消' },
      customers: '客户数', upgrades: '升级', downgrades: '降级', unchanged: '不变', costChange: '权益成本变化',
      distribution: '各等级客户数', matrix: '迁移矩阵', matrixHelp: '行：基准等级；列：候选等级。点击单元格查看客户样本。',
      move: { up: '升级', down: '降级', same: '不变' },
      groups: '分组明细', group: '分组', baselineWhy: '基准版本下：', idColumn: '客户号列', tier: '等级', exportCsv: '导出 CSV', noSamples: '此单元格未保留客户样本。',
    },
    decisions: { inputs: '输入数据', why: '判定依据' },
    diff: {
      title: '版本对比', left: '变更前', right: '变更后', same: '两个版本完全相同。', comparePrevious: '与上一版本对比',
      compareBase: '与基准版本对比', added: '新增', removed: '删除', changed: '修改', unchanged: '未变',
      other: '参评条件、命名条件和评分卡', what: '项目', before: '变更前', after: '变更后',
    },
    audit: {
      breaks: {
        SEQUENCE_GAP: '缺少一条记录', PREV_HASH_MISMATCH: '与上一条记录的链接不成立',
        CONTENT_MISMATCH: '写入后内容被修改', ANCHOR_REWRITTEN: '自留存锚点以来审计链被改写',
        EVENTS_REMOVED: '末尾的记录被删除',
      },
      verify: '校验审计链', chainValid: '审计链完整：已校验 %{count} 条记录', chainBroken: '审计链在第 %{at} 条记录处断裂：%{reason}（此前已校验 %{count} 条）',
      anchor: '请在系统外留存此锚点（日后以 verify?anchor= 校验）',
      entity: {
        fact: '指标', benefit: '权益', benefit_package: '权益包', policy: '策略', policy_version: '策略版本',
        test_case: '测试用例', user: '用户', dataset: '数据集', simulation: '模拟',
      },
    },
  },
};
