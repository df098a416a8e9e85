/** One entry of the audit trail as the API gives it: at, person_id, event, and what it says. */
export type AuditEntry = Record<string, unknown>

const OWN = new Set(['at', 'person_id', 'event'])

/** Someone who acted (`by`): `{role, subject}` as "role subject", anything else as text. */
export function actorText(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { role, subject } = value as { role?: unknown; subject?: unknown }
    return [role, subject].filter((part) => part !== undefined && part !== null && part !== '').map(String).join(' ')
  }
  return valueText(value)
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The fields an entry says beside its time, person and event, in a stable order, as text. */
export function auditFields(entry: AuditEntry): { key: string; text: string }[] {
  return Object.keys(entry)
    .filter((key) => !OWN.has(key))
    .sort()
    .map((key) => ({ key, text: key === 'by' ? actorText(entry[key]) : valueText(entry[key]) }))
    .filter((field) => field.text !== '')
}
