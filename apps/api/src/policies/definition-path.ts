import type { Issue } from '@tierwise/policy-engine';
import type { ErrorDetail } from '../common/errors/app.exception';

/** Engine issues (paths relative to the definition) as API error details under `definition`. */
export function definitionDetails(issues: Issue[], prefix = 'definition'): ErrorDetail[] {
  return issues.map((i) => ({
    path: i.path ? (i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`) : prefix,
    message: i.message,
    code: i.code,
    ...(i.messageZh ? { messageZh: i.messageZh } : {}),
  }));
}
