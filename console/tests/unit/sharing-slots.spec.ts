import { describe, expect, it } from 'vitest'
import { addDays, endAfter, week, zoned, type InstrumentCalendar } from '@/views/enterprise/lib/slots'

const CALENDAR: InstrumentCalendar = {
  timezone: 'Asia/Shanghai',
  weekly: { monday: ['09:00-12:00', '13:30-15:00'], tuesday: ['09:00-10:00'] },
  closed: ['2026-12-08'],
  slot_minutes: 30,
}

describe('an instrument calendar week', () => {
  it('gives each open day its slots from the start of each window, in the calendar zone', () => {
    const days = week(CALENDAR, '2026-11-30', [], Date.parse('2026-11-29T00:00:00Z'))
    expect(days.map((day) => day.weekday)).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
    expect(days[0]!.slots.map((slot) => slot.label)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '13:30', '14:00', '14:30'])
    expect(days[0]!.slots[0]).toEqual({ start: '2026-11-30T09:00:00+08:00', end: '2026-11-30T09:30:00+08:00', label: '09:00', state: 'free' })
    expect(days[2]!.slots).toEqual([])
  })

  it('marks slots taken, the asker\'s own, and past ones; a closed date has none', () => {
    const taken = [
      { start: '2026-11-30T01:00:00Z', end: '2026-11-30T02:00:00Z', mine: false },
      { start: '2026-11-30T13:30:00+08:00', end: '2026-11-30T14:00:00+08:00', mine: true },
    ]
    const now = Date.parse('2026-11-30T09:15:00+08:00')
    const states = week(CALENDAR, '2026-11-30', taken, now)[0]!.slots.map((slot) => `${slot.label} ${slot.state}`)
    // Past comes first: the 09:00 slot is over, though taken too.
    expect(states).toEqual(['09:00 past', '09:30 taken', '10:00 free', '10:30 free', '11:00 free', '11:30 free',
      '13:30 mine', '14:00 free', '14:30 free'])
    expect(week(CALENDAR, '2026-12-07', [], now)[1]!.slots).toEqual([])
  })

  it('turns wall clocks into instants and counts slots on', () => {
    expect(zoned('2026-11-30', '09:00', 'Asia/Shanghai')).toEqual({ ms: Date.parse('2026-11-30T01:00:00Z'), iso: '2026-11-30T09:00:00+08:00' })
    expect(zoned('2026-07-01', '09:00', 'Europe/Berlin').iso).toBe('2026-07-01T09:00:00+02:00')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(endAfter('2026-11-30T09:00:00+08:00', 3, 30)).toBe('2026-11-30T10:30:00+08:00')
  })
})
