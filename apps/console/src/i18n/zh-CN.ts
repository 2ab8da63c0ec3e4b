import type { AppMessages } from './en';

/** 控制台的简体中文文案（键与 en.ts 完全一致）。 */
export const zhCN: AppMessages = {
  resources: {
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
  },
  tw: {
    factTypes: {
      number: '数值', integer: '整数', boolean: '是/否', string: '文本', enum: '枚举', 'string[]': '文本列表', date: '日期',
    },
    validation: { key: '只能包含字母、数字和下划线，且以字母开头' },
    app: { title: 'Tierwise 客户分级' },
    dashboard: {
      title: '概览',
      health: {
        title: '系统状态',
        status: '服务状态',
        database: '数据库',
        version: '版本',
        unreachable: '无法连接 API',
      },
    },
  },
};
