/**
 * Rule notes (`note` on tiers, scores, components and multipliers; `notes` on the definition for
 * eligibility and named conditions): where a rule comes from — the source's words, or "our choice"
 * where the source is silent — in zh-CN and en. Validated here; nothing else reads them to evaluate.
 */
import { hasOwn, isPlainObject, propPath } from './keys';
import { issue, unknownPropIssues } from './issues';
import type { Issue } from './types';

const TEXT_KEYS = ['zh', 'en'] as const;
const NOTE_KEYS = ['source', 'choice'] as const;

function checkText(value: unknown, path: string, out: Issue[]): void {
  if (!isPlainObject(value)) {
    out.push(issue(path, 'invalid-type', 'A note text must be an object {zh, en}.', '说明文字必须是 {zh, en} 对象。'));
    return;
  }
  out.push(...unknownPropIssues(value, path, TEXT_KEYS));
  for (const k of TEXT_KEYS) {
    const v = value[k];
    if (typeof v !== 'string' || v.trim() === '') {
      out.push(
        issue(
          propPath(path, k),
          hasOwn(value, k) ? 'invalid-type' : 'required',
          `"${k}" must be a non-empty string: a note is given in both languages.`,
          `"${k}" 必须是非空字符串：说明需同时提供中文和英文。`,
        ),
      );
    }
  }
}

/** Problems of one rule note at `path` (e.g. `tiers[0].note`). */
export function checkRuleNote(value: unknown, path: string): Issue[] {
  const out: Issue[] = [];
  if (!isPlainObject(value)) {
    out.push(issue(path, 'invalid-type', 'A note must be an object {source?, choice?}.', '说明必须是 {source?, choice?} 对象。'));
    return out;
  }
  out.push(...unknownPropIssues(value, path, NOTE_KEYS));
  if (!NOTE_KEYS.some((k) => hasOwn(value, k))) {
    out.push(
      issue(
        path,
        'required',
        'A note says where the rule comes from: give "source" (what the source says) or "choice" (our choice where it is silent), or both.',
        '说明需写明规则出处："source"（来源原文）或 "choice"（来源未规定时本策略的选择），或两者。',
      ),
    );
  }
  for (const k of NOTE_KEYS) if (hasOwn(value, k)) checkText(value[k], propPath(path, k), out);
  return out;
}

/** Problems of a definition's `notes` (eligibility and named conditions); `conditionNames` are the definition's named conditions. */
export function checkDefinitionNotes(value: unknown, conditionNames: ReadonlySet<string>, hasEligibility: boolean): Issue[] {
  const out: Issue[] = [];
  if (!isPlainObject(value)) {
    out.push(issue('notes', 'invalid-type', '"notes" must be an object {eligibility?, conditions?}.', '"notes" 必须是 {eligibility?, conditions?} 对象。'));
    return out;
  }
  out.push(...unknownPropIssues(value, 'notes', ['eligibility', 'conditions']));
  if (hasOwn(value, 'eligibility')) {
    if (!hasEligibility) {
      out.push(
        issue('notes.eligibility', 'unknown-condition', 'A note on eligibility, but the policy has no eligibility.', '策略没有准入条件，却为其写了说明。'),
      );
    }
    out.push(...checkRuleNote(value.eligibility, 'notes.eligibility'));
  }
  if (hasOwn(value, 'conditions')) {
    const named = value.conditions;
    if (!isPlainObject(named)) {
      out.push(
        issue(
          'notes.conditions',
          'invalid-type',
          '"notes.conditions" must be an object of notes by condition name.',
          '"notes.conditions" 必须是按条件名称的说明对象。',
        ),
      );
      return out;
    }
    for (const [name, note] of Object.entries(named)) {
      const path = propPath('notes.conditions', name);
      if (!conditionNames.has(name)) {
        out.push(issue(path, 'unknown-condition', `A note on "${name}", which is not a named condition of this policy.`, `"${name}" 不是本策略的命名条件。`));
      }
      out.push(...checkRuleNote(note, path));
    }
  }
  return out;
}
