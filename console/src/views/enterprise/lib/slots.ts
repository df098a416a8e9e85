import { offsetText } from '@/utils/time'

/** An instrument's calendar as the API gives it: opening windows per weekday in its zone. */
export interface InstrumentCalendar {
  timezone: string
  weekly: Record<string, string[]>
  closed: string[]
  slot_minutes: number
}

export interface TakenSlot {
  start: string
  end: string
  mine: boolean
}

export type SlotState = 'free' | 'taken' | 'mine' | 'past'

export interface Slot {
  /** The slot's start and end as the API takes them: the calendar's wall clock with its offset. */
  start: string
  end: string
  /** Its wall-clock start, HH:MM. */
  label: string
  state: SlotState
}

export interface Day {
  date: string
  weekday: string
  slots: Slot[]
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/** Minutes east of UTC that `zone` is at the instant `ms`. */
function offsetAt(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms))
  const part = (type: string) => Number(parts.find((found) => found.type === type)?.value)
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000)
}

/** The instant a wall-clock time of a date has in `zone`: its milliseconds and its ISO text. */
export function zoned(date: string, time: string, zone: string): { ms: number; iso: string } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  let offset = offsetAt(wall, zone)
  const again = offsetAt(wall - offset * 60_000, zone)
  if (again !== offset) offset = again
  return { ms: wall - offset * 60_000, iso: `${date}T${time}:00${offsetText(offset)}` }
}

/** The date it is in `zone` at `ms`, YYYY-MM-DD. */
export function dateIn(zone: string, ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms))
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10)
}

function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7]!
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function minutesOf(time: string): number {
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  return hour * 60 + minute
}

/**
 * Seven days of the calendar from `from`, each with its slots (the smallest slot, from the
 * start of each opening window): free, taken by another, taken by the asker, or past at `now`.
 */
export function week(calendar: InstrumentCalendar, from: string, taken: TakenSlot[], now: number): Day[] {
  const held = taken.map((slot) => ({ start: Date.parse(slot.start), end: Date.parse(slot.end), mine: slot.mine }))
  return Array.from({ length: 7 }, (_, index) => {
    const date = addDays(from, index)
    const weekday = weekdayOf(date)
    const windows = calendar.closed.includes(date) ? [] : calendar.weekly[weekday] ?? []
    const slots: Slot[] = []
    for (const window of windows) {
      const [opens, closes] = window.split('-') as [string, string]
      for (let at = minutesOf(opens); at + calendar.slot_minutes <= minutesOf(closes); at += calendar.slot_minutes) {
        const start = zoned(date, clock(at), calendar.timezone)
        const end = zoned(date, clock(at + calendar.slot_minutes), calendar.timezone)
        const clash = held.find((slot) => slot.start < end.ms && start.ms < slot.end)
        const state: SlotState = start.ms < now ? 'past' : clash ? (clash.mine ? 'mine' : 'taken') : 'free'
        slots.push({ start: start.iso, end: end.iso, label: clock(at), state })
      }
    }
    return { date, weekday, slots }
  })
}

/** The end of a booking of `count` slots from `start` (ISO with offset), in the same offset. */
export function endAfter(start: string, count: number, slotMinutes: number): string {
  const offset = start.slice(-6)
  const [date, time] = start.slice(0, 16).split('T') as [string, string]
  const minutes = minutesOf(time) + count * slotMinutes
  return `${addDays(date, Math.floor(minutes / 1440))}T${clock(minutes % 1440)}:00${offset}`
}
