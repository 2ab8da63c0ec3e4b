/** Why an override placed a customer where they are, in both locales (ledger reasons and run samples). */
export function overrideReasonText(code: string, toZh: string, toEn: string, ratedZh: string, ratedEn: string): { 'zh-CN': string; en: string } {
  switch (code) {
    case 'override-set':
      return { 'zh-CN': `人工指定为${toZh}（评级结果${ratedZh}）`, en: `override sets ${toEn} (rated ${ratedEn})` };
    case 'override-floor':
      return { 'zh-CN': `人工保底：不低于${toZh}（评级结果${ratedZh}）`, en: `override floor: at least ${toEn} (rated ${ratedEn})` };
    case 'override-ceiling':
      return { 'zh-CN': `人工封顶：不高于${toZh}（评级结果${ratedZh}）`, en: `override ceiling: at most ${toEn} (rated ${ratedEn})` };
    case 'override-revert':
      return { 'zh-CN': `人工调整结束：恢复为最近一次评级的${toZh}`, en: `override ended: back to ${toEn}, as the last rating gives` };
    default:
      return { 'zh-CN': `人工调整为${toZh}`, en: `override: ${toEn}` };
  }
}
