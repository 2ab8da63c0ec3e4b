/** Size limits and plain-JSON checks, by an iterative walk: run first, so a hostile definition is refused before anything recursive runs. */
import { FORBIDDEN_KEYS, indexPath, isPlainObject, propPath } from '../keys';
import type { Issue, ValidationLimits } from '../types';
import { issue } from '../issues';

/**
 * Why an object or array is not plain JSON data (accessors, symbols, non-enumerable or extra
 * array properties, holes, exotic prototypes), or null. Such values could make what was validated
 * differ from what is later cloned and evaluated (e.g. an own "__proto__" on an array re-parents
 * the array when structuredClone copies it).
 */
function plainDataProblem(value: object, maxNodes: number): { code: string; message: string } | null {
  const keys = Reflect.ownKeys(value);
  if (keys.length > maxNodes + 1) {
    return { code: 'limit-nodes', message: `An object or array with ${keys.length} entries exceeds the limit of ${maxNodes} values (maxNodes).` };
  }
  if (Array.isArray(value)) {
    if (value.length > maxNodes) {
      return { code: 'limit-nodes', message: `Array of ${value.length} items exceeds the limit of ${maxNodes} values (maxNodes).` };
    }
    if (keys.length !== value.length + 1) return { code: 'not-json', message: 'An array must hold only its items (no holes, no extra properties).' };
    for (let i = 0; i < value.length; i++) {
      const d = Object.getOwnPropertyDescriptor(value, i);
      if (d === undefined || d.get !== undefined || d.set !== undefined) return { code: 'not-json', message: 'Array items must be plain values.' };
    }
    return null;
  }
  if (!isPlainObject(value)) return { code: 'not-json', message: 'Objects in a definition must be plain JSON objects.' };
  for (const k of keys) {
    if (typeof k === 'symbol') return { code: 'not-json', message: 'Objects in a definition must not have symbol keys.' };
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (d === undefined || !d.enumerable || d.get !== undefined || d.set !== undefined) {
      return { code: 'not-json', message: `Property "${k}" must be a plain enumerable value (no getters or hidden properties).` };
    }
  }
  return null;
}

/** Limits and forbidden keys, iteratively. Returns limit errors (then nothing else is checked) and key errors. */
export function walkLimits(root: unknown, limits: ValidationLimits): { limitErrors: Issue[]; keyErrors: Issue[] } {
  const limitErrors: Issue[] = [];
  const keyErrors: Issue[] = [];
  const seen = new Set<object>();
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  let nodes = 0;
  let depthReported = false;
  let stringReported = false;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    nodes++;
    if (nodes > limits.maxNodes) {
      limitErrors.push(
        issue(
          '',
          'limit-nodes',
          `The definition has more than ${limits.maxNodes} values (limit maxNodes).`,
          `定义中的值超过 ${limits.maxNodes} 个（上限 maxNodes）。`,
        ),
      );
      break;
    }
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength && !stringReported) {
        stringReported = true;
        limitErrors.push(
          issue(
            path,
            'limit-string',
            `String of ${value.length} characters exceeds the limit of ${limits.maxStringLength} (maxStringLength).`,
            `字符串长度 ${value.length} 超过上限 ${limits.maxStringLength}。`,
          ),
        );
      }
      continue;
    }
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      limitErrors.push(issue(path, 'not-json', `A definition must be plain JSON data; found a ${typeof value}.`, '策略定义必须是纯 JSON 数据。'));
      break;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      if (!depthReported) {
        depthReported = true;
        limitErrors.push(
          issue(path, 'limit-depth', `Nesting deeper than ${limits.maxDepth} levels (limit maxDepth).`, `嵌套超过 ${limits.maxDepth} 层（上限 maxDepth）。`),
        );
      }
      continue;
    }
    if (seen.has(value)) {
      limitErrors.push(issue(path, 'not-json', 'The definition refers to itself (a cyclic object graph); it must be plain JSON data.'));
      break;
    }
    seen.add(value);
    const notJson = plainDataProblem(value, limits.maxNodes);
    if (notJson !== null) {
      limitErrors.push(issue(path, notJson.code, notJson.message, '策略定义必须是纯 JSON 数据。'));
      break;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: indexPath(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxNodes) {
      limitErrors.push(issue(path, 'limit-nodes', `Object with ${keys.length} keys exceeds the limit of ${limits.maxNodes} values (maxNodes).`));
      break;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      const childPath = propPath(path, k);
      if (k.length > limits.maxStringLength && !stringReported) {
        stringReported = true;
        limitErrors.push(issue(path, 'limit-string', `A key of ${k.length} characters exceeds the limit of ${limits.maxStringLength} (maxStringLength).`));
      }
      if (FORBIDDEN_KEYS.has(k)) {
        keyErrors.push(issue(childPath, 'forbidden-key', `The key "${k}" is not allowed anywhere in a definition.`, `定义中任何位置都不允许使用键 "${k}"。`));
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[k], path: childPath, depth: depth + 1 });
    }
  }
  return { limitErrors, keyErrors };
}
