import type { components } from '@/api/client'
import type { Deadline } from '@/composables/useCountdown'

export type HallEntry = components['schemas']['HallEntryView']
export type HallRequest = components['schemas']['HallRequest']

/** Within this many seconds of its end a demand's time in the hall turns amber. */
export const HALL_WARNING_SECONDS = 3600

/** A demand's time in the hall as a deadline for `useCountdown`: running until `closes_at`. */
export function hallDeadline(entry: Pick<HallEntry, 'open' | 'closes_at'>, now: number = Date.now()): Deadline {
  const due = Date.parse(entry.closes_at)
  const open = entry.open && due > now
  return {
    state: open ? 'running' : 'closed',
    due_at: entry.closes_at,
    warned: open && due - now <= HALL_WARNING_SECONDS * 1000,
    breached: false,
    closed_at: open ? null : entry.closes_at,
    paused_remaining_seconds: null,
    limit_seconds: 0,
  }
}

/** What may be done with a listed demand: express interest, withdraw it, or nothing (and why). */
export function hallAction(entry: Pick<HallEntry, 'open' | 'my_interest' | 'exclusion'>): 'express' | 'withdraw' | 'excluded' | 'closed' {
  if (!entry.open) return 'closed'
  if (entry.my_interest) return 'withdraw'
  return entry.exclusion ? 'excluded' : 'express'
}
