import type { components } from '@/api/client'

export const SEVERITIES = ['observation', 'minor', 'major', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** The spot check form's fields. */
export interface CheckForm {
  kind: 'spot_check' | 'revisit'
  subjectKind: 'station' | 'institution'
  subjectId: string
  findings: { severity: Severity; note: string }[]
  suspend: boolean
  reason: string
}

export function emptyCheck(): CheckForm {
  return { kind: 'spot_check', subjectKind: 'institution', subjectId: '', findings: [], suspend: false, reason: '' }
}

/** The API's body for the form (a suspension only of an institution; an empty reason left out). */
export function checkBody(form: CheckForm): components['schemas']['RecordCheck'] {
  return {
    kind: form.kind,
    subject: { kind: form.subjectKind, id: form.subjectId },
    findings: form.findings.map((finding) => ({ severity: finding.severity, note: finding.note.trim() })),
    suspend_institution: form.subjectKind === 'institution' && form.suspend,
    reason: form.reason.trim() || null,
  }
}
