/** An entry's particulars as rows to read: a dotted key and its value as text. */
export interface Particular {
  key: string
  value: string
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/**
 * The data of a dossier entry flattened: nested objects by dotted keys, lists of plain values
 * joined, lists of objects by index ("attachments.0.name").
 */
export function particulars(data: unknown, prefix = ''): Particular[] {
  if (data === null || typeof data !== 'object') return prefix ? [{ key: prefix, value: text(data) }] : []
  const rows: Particular[] = []
  const entries: [string, unknown][] = Array.isArray(data) ? data.map((item, i) => [String(i), item]) : Object.entries(data)
  if (Array.isArray(data) && data.every((item) => item === null || typeof item !== 'object')) {
    return prefix ? [{ key: prefix, value: data.length ? data.map(text).join('、') : '—' }] : []
  }
  if (!entries.length && prefix) return [{ key: prefix, value: '—' }]
  for (const [key, value] of entries) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object') rows.push(...particulars(value, path))
    else rows.push({ key: path, value: text(value) })
  }
  return rows
}
