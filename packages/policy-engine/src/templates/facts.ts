/**
 * Facts used by more than one template. The product loads every template into ONE fact catalog,
 * so a key shared by two templates must have one definition: templates import it from here
 * instead of redeclaring it (test/templates/catalog.test.ts checks that no two templates disagree).
 */
import type { FactDefinition } from '../types';

/** 日均综合金融资产: the customer's own average daily total financial assets. */
export const avgDailyAssets: FactDefinition = {
  key: 'avgDailyAssets',
  label: '日均综合金融资产',
  labelEn: 'Average daily total financial assets',
  type: 'number',
  unit: 'CNY',
  description: "客户本人在本行的日均综合金融资产（元）。The customer's own average daily total financial assets with the bank, in CNY.",
};

/** 家庭日均综合金融资产: the family-card average of the members' assets. */
export const familyAvgDailyAssets: FactDefinition = {
  key: 'familyAvgDailyAssets',
  label: '家庭日均综合金融资产',
  labelEn: 'Family average daily total financial assets',
  type: 'number',
  unit: 'CNY',
  description:
    "家庭卡成员日均综合金融资产的平均值（元）；无家庭卡可不填。Average of the family-card members' average daily total financial assets, in CNY; leave out when the customer holds no family card.",
};

/** 年销售收入: a company's annual sales revenue. */
export const annualRevenue: FactDefinition = {
  key: 'annualRevenue',
  label: '年销售收入',
  labelEn: 'Annual sales revenue',
  type: 'number',
  unit: 'CNY',
  description: "企业上一会计年度销售（营业）收入（元）。The company's sales revenue in the last financial year, in CNY.",
};

/** 所属区域: where the customer is served; a simulation groupBy dimension. */
export const district: FactDefinition = {
  key: 'district',
  label: '所属区域',
  labelEn: 'District',
  type: 'string',
  description: '客户所属区域（如 惠城区），用于按区域统计。The district or region the customer belongs to (e.g. 惠城区), for reports by region.',
};

/** 所属行业: the customer's (or its employer's) industry; a simulation groupBy dimension. */
export const industry: FactDefinition = {
  key: 'industry',
  label: '所属行业',
  labelEn: 'Industry',
  type: 'string',
  description: "客户所属行业（自由文本，用于按行业统计）。The customer's industry (free text), for reports by industry.",
};

/** 年龄段: a simulation groupBy dimension. */
export const ageBand: FactDefinition = {
  key: 'ageBand',
  label: '年龄段',
  labelEn: 'Age band',
  type: 'enum',
  enumValues: ['18-25', '26-35', '36-45', '46-55', '56+'],
  description: "客户年龄段，用于按年龄统计。The customer's age band, for reports by age.",
};
