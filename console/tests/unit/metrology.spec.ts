import { describe, expect, it } from 'vitest'
import { badgeType, mayRequest, requestKind, type Instrument } from '@/views/metrology/useInstrumentRegister'

function instrument(overrides: Partial<Instrument> = {}): Instrument {
  return {
    id: 'i-1', name: '压力表', model: 'Y-100', serial_number: 'PG-1', location: '锅炉房', mandatory: true,
    interval_months: 12, last_certificate: null, certificates: [], next_due: '2026-12-20', due: 'due_soon',
    days_left: 20, state: 'in_use', retirement: null, open_demand: null, reminded_for: null,
    registered_on: '2026-11-30', registered_at: '2026-11-30T09:00:00+08:00', ...overrides,
  }
}

describe('the metrology register', () => {
  it('colours each due badge', () => {
    expect(badgeType('overdue')).toBe('danger')
    expect(badgeType('due_soon')).toBe('warning')
    expect(badgeType('ok')).toBe('success')
    expect(badgeType(null)).toBe('info')
  })

  it('asks for verification of a mandatory instrument and calibration of any other', () => {
    expect(requestKind(instrument())).toBe('verification')
    expect(requestKind(instrument({ mandatory: false }))).toBe('calibration')
  })

  it('offers the one click only for an instrument in use without an open demand', () => {
    expect(mayRequest(instrument())).toBe(true)
    expect(mayRequest(instrument({ open_demand: 'd-1' }))).toBe(false)
    expect(mayRequest(instrument({ state: 'retired', due: null }))).toBe(false)
  })
})
