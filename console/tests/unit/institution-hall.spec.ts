import { describe, expect, it } from 'vitest'
import { hallAction, hallDeadline } from '@/views/institution/composables/hall'

const NOW = Date.parse('2026-12-05T10:00:00+08:00')

describe("a demand's time in the hall", () => {
  it('runs until it closes, amber in its last hour, and is closed after', () => {
    const running = hallDeadline({ open: true, closes_at: '2026-12-05T14:00:00+08:00' }, NOW)
    expect([running.state, running.warned]).toEqual(['running', false])
    expect(hallDeadline({ open: true, closes_at: '2026-12-05T10:30:00+08:00' }, NOW).warned).toBe(true)
    expect(hallDeadline({ open: true, closes_at: '2026-12-05T09:00:00+08:00' }, NOW).state).toBe('closed')
    expect(hallDeadline({ open: false, closes_at: '2026-12-05T14:00:00+08:00' }, NOW).state).toBe('closed')
  })

  it('offers to express interest, to withdraw it, or says why not', () => {
    expect(hallAction({ open: true, my_interest: null, exclusion: null })).toBe('express')
    const mine = { institution_id: 'i', note: 'n', proposed_date: null, at: '' }
    expect(hallAction({ open: true, my_interest: mine, exclusion: null })).toBe('withdraw')
    expect(hallAction({ open: true, my_interest: null, exclusion: '机构已无剩余服务能力' })).toBe('excluded')
    expect(hallAction({ open: false, my_interest: mine, exclusion: null })).toBe('closed')
  })
})
