import { describe, expect, it } from 'vitest'
import { formatInstant, offsetText } from '@/utils/time'

describe('formatInstant', () => {
  it("shows the station's wall clock without the offset when the browser is in the same one", () => {
    expect(formatInstant('2026-12-05T16:08:00+08:00', 480)).toBe('2026-12-05 16:08')
    expect(formatInstant('2026-12-05T16:08:00.123456+08:00', 480)).toBe('2026-12-05 16:08')
  })

  it('adds the offset when the browser is elsewhere', () => {
    expect(formatInstant('2026-12-05T16:08:00+08:00', 60)).toBe('2026-12-05 16:08 +08:00')
    expect(formatInstant('2026-12-05T08:08:00Z', 480)).toBe('2026-12-05 08:08 +00:00')
    expect(formatInstant('2026-12-05T08:08:00Z', 0)).toBe('2026-12-05 08:08')
  })

  it('leaves what it cannot read as it is', () => {
    expect(formatInstant('tomorrow', 480)).toBe('tomorrow')
    expect(formatInstant(null)).toBe('')
  })

  it('writes offsets with sign, hours and minutes', () => {
    expect(offsetText(480)).toBe('+08:00')
    expect(offsetText(-210)).toBe('-03:30')
    expect(offsetText(0)).toBe('+00:00')
  })
})
