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

/** What an entry says beyond its time, person and event (the dossier is linked apart). */
export function auditDetails(entry: AuditEntry): Particular[] {
  const rest = Object.fromEntries(
    Object.entries(entry).filter(([key]) => !['at', 'person_id', 'event', 'demand_id'].includes(key)),
  )
  return particulars(rest)
}
