import type { FormItemRule } from 'element-plus'

type Translate = (key: string, values?: Record<string, unknown>) => string

/**
 * "Please fill in <field>" rules for the fields a form cannot be sent without (checked in the
 * browser before the API, which judges the rest): `{ prop: labelKey }`; a prop whose value is a
 * list needs at least one item.
 */
export function requiredRules(t: Translate, fields: Record<string, string>, lists: readonly string[] = []): Record<string, FormItemRule[]> {
  return Object.fromEntries(
    Object.entries(fields).map(([prop, labelKey]) => [
      prop,
      [{
        required: true,
        ...(lists.includes(prop) ? { type: 'array' as const, min: 1 } : { whitespace: true }),
        message: t('signIn.required', { field: t(labelKey) }),
        trigger: lists.includes(prop) ? 'change' : 'blur',
      }],
    ]),
  )
}
