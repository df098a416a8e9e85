/** One entry of the audit trail as the API gives it: at, person_id, event, and what it says. */
export type AuditEntry = Record<string, unknown>

export interface AuditField {
  key: string
  value: unknown
}

/** How codes inside an entry are named in the console's language. */
export interface AuditLabels {
  role(code: string): string
  method(code: string): string
}

const OWN = new Set(['at', 'person_id', 'event'])

/** The fields an entry says beside its time, person and event, in a stable order (empty ones left out). */
export function auditFields(entry: AuditEntry): AuditField[] {
  return Object.keys(entry)
    .filter((key) => !OWN.has(key))
    .sort()
    .map((key) => ({ key, value: entry[key] }))
    .filter(({ value }) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && !value.length))
}

function plain(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

/**
 * A field as text: who acted (`by`: `{role, subject}`) as the role's name and the subject, a role
 * or a list of roles by name, a sign-in method by name, anything else as it is.
 */
export function auditFieldText(field: AuditField, labels: AuditLabels): string {
  const { key, value } = field
  if (key === 'by' && value && typeof value === 'object' && !Array.isArray(value)) {
    const { role, subject } = value as { role?: unknown; subject?: unknown }
    return [typeof role === 'string' ? labels.role(role) : role, subject]
      .filter((part) => part !== undefined && part !== null && part !== '').map(plain).join(' ')
  }
  if (key === 'role' && typeof value === 'string') return labels.role(value)
  if (key === 'roles' && Array.isArray(value)) return value.map((role) => (typeof role === 'string' ? labels.role(role) : plain(role))).join('、')
  if (key === 'method' && typeof value === 'string') return labels.method(value)
  return plain(value)
}
