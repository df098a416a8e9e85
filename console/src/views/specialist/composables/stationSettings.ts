import type { components } from '@/api/client'

export type Station = components['schemas']['StationView']
export type ChangeStationSettings = components['schemas']['ChangeStationSettings']
export type StageLimits = components['schemas']['StageLimits']
export type StageName = keyof StageLimits
export const LIMIT_STAGES: readonly StageName[] = ['first_response', 'assessment', 'assessment_consultation', 'follow_up']
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const LIMIT = /^\d+(\.\d+)?[smhd]$/

/** A row of the time limits' table: the default, or a category's or an urgency's own. */
export interface LimitRow {
  scope: 'default' | 'categories' | 'urgencies'
  key: string
  limits: Record<StageName, string>
}

export interface StationForm {
  address: string
  opening_hours: string
  timezone: string
  hours: string[]
  weekend: Weekday[]
  holidays: string[]
  extra_workdays: string[]
  auto_accept: string[]
  limits: LimitRow[]
  /** the demand hall: categories listed there and how many working hours */
  hall_categories: string[]
  hall_window_hours: number
  reason: string
}

/** The window a station that never set its demand hall starts from (working hours). */
export const HALL_WINDOW_HOURS = 4

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** A weekday as a name: the API takes names or numbers 0 (Monday) to 6. */
export function weekday(value: unknown): Weekday | null {
  if (typeof value === 'number') return WEEKDAYS[value] ?? null
  if (typeof value === 'string') {
    const name = value.toLowerCase()
    return (WEEKDAYS as readonly string[]).includes(name) ? (name as Weekday) : null
  }
  return null
}

function row(scope: LimitRow['scope'], key: string, value: unknown): LimitRow {
  const given = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>
  const limits = Object.fromEntries(
    LIMIT_STAGES.map((stage) => [stage, typeof given[stage] === 'string' ? (given[stage] as string) : '']),
  ) as Record<StageName, string>
  return { scope, key, limits }
}

/** The form for a station as the API shows it. */
export function stationForm(station: Station): StationForm {
  const calendar = station.calendar as Record<string, unknown>
  const limits = station.time_limits as Record<string, unknown>
  const rows: LimitRow[] = [row('default', '', limits.default)]
  for (const scope of ['categories', 'urgencies'] as const) {
    const group = (limits[scope] && typeof limits[scope] === 'object' ? limits[scope] : {}) as Record<string, unknown>
    for (const [key, value] of Object.entries(group)) rows.push(row(scope, key, value))
  }
  return {
    address: station.address,
    opening_hours: station.opening_hours,
    timezone: typeof calendar.timezone === 'string' ? calendar.timezone : 'Asia/Shanghai',
    hours: strings(calendar.hours),
    weekend: (Array.isArray(calendar.weekend) ? calendar.weekend : [])
      .map(weekday)
      .filter((day): day is Weekday => day !== null),
    holidays: strings(calendar.holidays),
    extra_workdays: strings(calendar.extra_workdays),
    auto_accept: [...station.auto_accept],
    limits: rows,
    hall_categories: strings(station.hall.categories),
    hall_window_hours: typeof station.hall.window_hours === 'number' ? station.hall.window_hours : HALL_WINDOW_HOURS,
    reason: '',
  }
}

function stageLimits(limits: Record<StageName, string>): StageLimits {
  const out: StageLimits = {}
  for (const stage of LIMIT_STAGES) {
    const value = limits[stage].trim()
    if (value) out[stage] = value
  }
  return out
}

/** PATCH /api/v1/stations/{id}'s body for the form: every setting, and the reason. */
export function settingsBody(form: StationForm): ChangeStationSettings {
  const categories: Record<string, StageLimits> = {}
  const urgencies: Record<string, StageLimits> = {}
  let defaults: StageLimits = {}
  for (const limit of form.limits) {
    if (limit.scope === 'default') defaults = stageLimits(limit.limits)
    else if (limit.key) (limit.scope === 'categories' ? categories : urgencies)[limit.key] = stageLimits(limit.limits)
  }
  return {
    reason: form.reason.trim(),
    address: form.address.trim() || null,
    opening_hours: form.opening_hours.trim() || null,
    auto_accept: [...form.auto_accept] as ChangeStationSettings['auto_accept'],
    calendar: {
      timezone: form.timezone,
      hours: [...form.hours],
      weekend: [...form.weekend],
      holidays: [...form.holidays].sort(),
      extra_workdays: [...form.extra_workdays].sort(),
    },
    time_limits: { default: defaults, categories, urgencies },
    hall: {
      categories: [...form.hall_categories] as NonNullable<ChangeStationSettings['hall']>['categories'],
      window_hours: form.hall_window_hours,
    },
  }
}

/** A new row for a category or an urgency. */
export function limitRow(scope: 'categories' | 'urgencies', key: string): LimitRow {
  return row(scope, key, {})
}
