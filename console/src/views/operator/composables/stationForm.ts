import type { components } from '@/api/client'
import type { Category } from '@/api/categories'

export type RegisterStation = components['schemas']['RegisterStation']

/** What the station registration form edits (strings as typed; the API checks them). */
export interface StationForm {
  name: string
  park: string
  institutionName: string
  institutionCreditCode: string
  address: string
  openingHours: string
  timezone: string
  /** One working period a line: 09:00-12:00. */
  hours: string
  autoAccept: Category[]
}

export function emptyStationForm(): StationForm {
  return {
    name: '', park: '', institutionName: '', institutionCreditCode: '', address: '', openingHours: '',
    timezone: 'Asia/Shanghai', hours: '09:00-12:00\n13:30-17:30', autoAccept: [],
  }
}

/** Working periods typed one a line (or separated by commas), without blanks. */
export function periodsOf(text: string): string[] {
  return text.split(/[\n,，;；]+/).map((part) => part.trim()).filter(Boolean)
}

/**
 * The RegisterStation body: a field left blank is left out, so that the API names it as
 * missing next to the field (the API is the one judge of what is valid).
 */
export function toRegisterStation(form: StationForm): RegisterStation {
  const text = (value: string) => value.trim() || undefined
  const body = {
    name: text(form.name),
    park: text(form.park),
    operating_institution: {
      name: text(form.institutionName),
      credit_code: text(form.institutionCreditCode)?.toUpperCase(),
    },
    address: text(form.address),
    opening_hours: text(form.openingHours),
    calendar: { timezone: text(form.timezone), hours: periodsOf(form.hours) },
    auto_accept: [...form.autoAccept],
  }
  return JSON.parse(JSON.stringify(body)) as RegisterStation // drops the undefined fields
}

/** The form's fields and the API's names for them (for `fieldError`). */
export const STATION_FIELDS: Record<keyof StationForm, string> = {
  name: 'name',
  park: 'park',
  institutionName: 'operating_institution.name',
  institutionCreditCode: 'operating_institution.credit_code',
  address: 'address',
  openingHours: 'opening_hours',
  timezone: 'calendar.timezone',
  hours: 'calendar.hours',
  autoAccept: 'auto_accept',
}
