import { creditCode, type Platform } from './platform'
import type { Person } from './state'

/**
 * What a journey starts from, arranged through the HTTP API as the operator would: a station of
 * a park of the journey's own with its specialist, an enterprise with its administrator, an
 * institution with its member. Each spec seeds only what it needs, under names of its own.
 */

/** Uploads bytes as `token` (POST /api/v1/attachments takes the raw body): the file's sha256. */
export async function attach(platform: Platform, token: string, name: string, body: string, type: string): Promise<string> {
  const response = await fetch(`${platform.apiUrl}/api/v1/attachments?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body,
  })
  if (response.status !== 201) throw new Error(`POST /api/v1/attachments: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { sha256: string }).sha256
}

export interface StationScene {
  station: { id: string; name: string; park: string; [key: string]: unknown }
  organisationId: string
  specialist: Person
  specialistToken: string
}

export interface StationOptions {
  park: string
  name: string
  /** The station's specialist: sign-in name and the name shown. */
  specialist: { signInName: string; name: string }
  /** Categories its rules accept without a specialist (the platform's default: all nine). */
  autoAccept?: string[]
  address?: string
}

/** A station of `park`, its organisation and a specialist who works there (staff id = person id). */
export async function seedStation(platform: Platform, operatorToken: string, options: StationOptions): Promise<StationScene> {
  const station = await platform.ok(201, 'POST', '/api/v1/stations', operatorToken, {
    name: options.name, park: options.park, address: options.address ?? '广州市番禺区市良路1号',
    operating_institution: { name: `${options.name}运营有限公司`, credit_code: creditCode() },
    opening_hours: '周一至周五 09:00-17:30',
    ...(options.autoAccept ? { auto_accept: options.autoAccept } : {}),
  })
  const organisationId = await platform.organisation(operatorToken, 'station', station.id, station.name)
  const specialist = await platform.person(operatorToken, organisationId, options.specialist.signInName,
    ['specialist'], undefined, options.specialist.name)
  const specialistToken = await platform.signIn(specialist)
  const me = await platform.ok(200, 'GET', '/api/v1/me', specialistToken)
  await platform.ok(201, 'POST', `/api/v1/stations/${station.id}/specialists`, operatorToken, {
    staff_id: me.id, name: options.specialist.name, trained: true,
  })
  return { station, organisationId, specialist, specialistToken }
}

export interface EnterpriseScene {
  organisationId: string
  code: string
  name: string
  admin: Person
  token: string
  /** The `enterprise` of a demand it submits. */
  party: { name: string; credit_code: string; contact: string; phone: string }
}

/** An enterprise (a fresh credit code), its organisation and its administrator, signed in. */
export async function seedEnterprise(platform: Platform, operatorToken: string,
  options: { name: string; admin: { signInName: string; name: string } }): Promise<EnterpriseScene> {
  const code = creditCode()
  const organisationId = await platform.organisation(operatorToken, 'enterprise', code, options.name)
  const admin = await platform.person(operatorToken, organisationId, options.admin.signInName,
    ['enterprise_admin'], undefined, options.admin.name)
  const token = await platform.signIn(admin)
  return {
    organisationId, code, name: options.name, admin, token,
    party: { name: options.name, credit_code: code, contact: options.admin.name, phone: '+86 20 8888 0000' },
  }
}

export interface InstitutionScene {
  institution: { id: string; name: string; [key: string]: unknown }
  organisationId: string
  member: Person
  token: string
}

/**
 * An institution the operator registers (`registration` is the body of POST /api/v1/institutions
 * but for the credit code, which is fresh), its organisation and a member, signed in.
 */
export async function seedInstitution(platform: Platform, operatorToken: string,
  registration: Record<string, unknown> & { name: string },
  member: { signInName: string; name: string }): Promise<InstitutionScene> {
  const institution = await platform.ok(201, 'POST', '/api/v1/institutions', operatorToken, {
    credit_code: creditCode(), ...registration,
  })
  const organisationId = await platform.organisation(operatorToken, 'institution', institution.id, institution.name)
  const person = await platform.person(operatorToken, organisationId, member.signInName,
    ['institution_member'], undefined, member.name)
  return { institution, organisationId, member: person, token: await platform.signIn(person) }
}
