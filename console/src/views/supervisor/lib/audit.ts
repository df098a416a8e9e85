import { particulars, type Particular } from './particulars'

/** An entry of the audit trail: at, person_id, event and what the event says. */
export interface AuditEntry {
  at: string
  person_id: string
  event: string
  demand_id?: string
  [key: string]: unknown
}

/** The events the audit trail may be filtered by (the API's enum). */
export const AUDIT_EVENTS = [
  'DossierAccessed', 'PersonSignedIn', 'SignInFailed', 'PersonCreated', 'PasswordReset', 'RoleGranted', 'RoleRevoked',
  'PersonDisabled', 'PersonEnabled', 'SecondFactorEnabled', 'SecondFactorReset', 'OrganisationVerified',
] as const

/** What an entry says beyond its time, person, event and actor (the dossier is linked apart). */
export function auditDetails(entry: AuditEntry): Particular[] {
  const rest = Object.fromEntries(
    Object.entries(entry).filter(
      ([key]) => !['at', 'person_id', 'event', 'demand_id', 'by'].includes(key) && !(key === 'action' && entry.event === 'DossierAccessed'),
    ),
  )
  return particulars(rest)
}

export type AccessKind = 'read' | 'verify' | 'export' | 'download' | 'other'

/** What a supervisor did with a dossier (DossierAccessed's action): read, verify, export, or download a file. */
export function accessAction(action: unknown): { kind: AccessKind; file?: string } {
  if (typeof action !== 'string') return { kind: 'other' }
  if (action === 'read' || action === 'verify' || action === 'export') return { kind: action }
  const download = /^download (\S+)$/.exec(action)
  if (download) return { kind: 'download', file: download[1]!.slice(0, 12) }
  return { kind: 'other' }
}
