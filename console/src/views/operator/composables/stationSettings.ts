import type { components } from '@/api/client'
import type { Station } from './stations'
import { periodsOf } from './stationForm'
import { CATEGORIES, type Category } from '@/api/categories'
import { isOneOf } from './vocabulary'

export type ChangeStationSettings = components['schemas']['ChangeStationSettings']
type CalendarSettings = components['schemas']['CalendarSettings']

export interface StationSettingsForm {
  address: string
  openingHours: string
  /** One working period a line. */
  hours: string
  autoAccept: Category[]
  reason: string
}

function hoursOf(station: Station): string[] {
  const hours = (station.calendar as CalendarSettings).hours
  return Array.isArray(hours) ? hours.map(String) : []
}

export function settingsFormOf(station: Station): StationSettingsForm {
  return {
    address: station.address,
    openingHours: station.opening_hours,
    hours: hoursOf(station).join('\n'),
    autoAccept: station.auto_accept.filter((code): code is Category => isOneOf(CATEGORIES, code)),
    reason: '',
  }
}

/** The PATCH body: the reason, and only what differs from the station (the calendar whole, its hours changed). */
export function settingsChanges(station: Station, form: StationSettingsForm): ChangeStationSettings {
  const body: ChangeStationSettings = { reason: form.reason.trim() }
  if (form.address.trim() !== station.address) body.address = form.address.trim()
  if (form.openingHours.trim() !== station.opening_hours) body.opening_hours = form.openingHours.trim()
  const hours = periodsOf(form.hours)
  if (hours.join('\n') !== hoursOf(station).join('\n')) body.calendar = { ...(station.calendar as CalendarSettings), hours }
  const sorted = (codes: readonly string[]) => [...codes].sort().join(',')
  if (sorted(form.autoAccept) !== sorted(station.auto_accept)) body.auto_accept = [...form.autoAccept]
  return body
}
