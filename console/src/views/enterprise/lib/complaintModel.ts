import type { components } from '@/api/client'
import type { Deadline } from '@/composables/useCountdown'

export type Complaint = components['schemas']['ComplaintView']
export const COMPLAINT_STATUSES = ['received', 'investigating', 'escalated', 'resolved'] as const
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number]

export function complaintStatusType(status: string): 'primary' | 'warning' | 'danger' | 'success' {
  return status === 'resolved' ? 'success' : status === 'escalated' ? 'danger' : status === 'investigating' ? 'warning' : 'primary'
}

interface RawClock {
  due_at?: string | null
  closed_at?: string | null
  warned?: boolean
  breached?: boolean
}

/**
 * A complaint's clock (acknowledgement, resolution: due_at, warn_at, closed_at, warned,
 * breached) in the shape of a demand's deadline, so that useCountdown colours it the same way.
 */
export function complaintDeadline(raw: unknown): Deadline | null {
  if (!raw || typeof raw !== 'object') return null
  const clock = raw as RawClock
  return {
    state: clock.closed_at ? 'closed' : clock.breached ? 'breached' : 'running',
    due_at: clock.due_at ?? null,
    warned: !!clock.warned,
    breached: !!clock.breached,
    closed_at: clock.closed_at ?? null,
    paused_remaining_seconds: null,
    limit_seconds: 0,
  }
}

export interface HistoryEntry {
  key: string
  status: string
  role: string
  at: string
  note: string
}

/** A complaint's history (status, by, at, note), oldest first. */
export function historyOf(complaint: Pick<Complaint, 'history'>): HistoryEntry[] {
  return complaint.history.map((entry, index) => {
    const by = (entry.by ?? {}) as { role?: string }
    return {
      key: `${index}-${String(entry.at)}`,
      status: typeof entry.status === 'string' ? entry.status : '',
      role: by.role ?? '',
      at: typeof entry.at === 'string' ? entry.at : '',
      note: typeof entry.note === 'string' ? entry.note : '',
    }
  })
}
