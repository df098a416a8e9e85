/** The codes the operator's pages choose from (the API's enums), labelled through `operator.*` words. */

export const ORGANISATION_KINDS = ['enterprise', 'institution', 'station', 'agency', 'operating_institution'] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]

export const ROLES = [
  'enterprise_admin', 'enterprise_member', 'specialist', 'station_manager', 'institution_member', 'supervisor', 'operator',
  'operating_institution_member',
] as const
export type PersonRole = (typeof ROLES)[number]

/** The roles a person of each kind of organisation may hold (the accounts service's rule). */
export const ROLES_OF: Record<string, readonly PersonRole[]> = {
  enterprise: ['enterprise_admin', 'enterprise_member'],
  institution: ['institution_member'],
  station: ['specialist', 'station_manager'],
  agency: ['supervisor'],
  platform: ['operator'],
  operating_institution: ['operating_institution_member'],
}

export function rolesOf(kind: string | undefined): readonly PersonRole[] {
  return (kind && ROLES_OF[kind]) || []
}

export const SERVICES = ['accounts', 'intake', 'matching', 'evaluation', 'archive', 'partners', 'notices'] as const
export type ServiceName = (typeof SERVICES)[number]

export const UPSTREAMS = ['intake', 'matching', 'evaluation', 'archive', 'delivery'] as const
export type Upstream = (typeof UPSTREAMS)[number]

export const AUDIT_EVENTS = [
  'PersonCreated', 'PasswordReset', 'RoleGranted', 'RoleRevoked', 'PersonDisabled', 'PersonEnabled',
  'PersonSignedIn', 'SignInFailed', 'SecondFactorEnabled', 'SecondFactorReset', 'OrganisationVerified', 'DossierAccessed',
] as const
export type AuditEvent = (typeof AUDIT_EVENTS)[number]


export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/** A weekend entry (a weekday's name or its number, 0 for Monday) as a weekday's name. */
export function weekdayName(value: unknown): string {
  if (typeof value === 'number') return WEEKDAYS[value] ?? String(value)
  return String(value).toLowerCase()
}

/** `value` is one of `codes` (narrows it). */
export function isOneOf<T extends string>(codes: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (codes as readonly string[]).includes(value)
}
