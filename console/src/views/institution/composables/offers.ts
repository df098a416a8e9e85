import type { components } from '@/api/client'
import type { Deadline, TagType } from '@/composables/useCountdown'

export type Assignment = components['schemas']['AssignmentRecordView']
export type AssignmentStatus = Assignment['status']
export type OfferedRequest = components['schemas']['OfferedRequest']

export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [
  'offered', 'awaiting_quote_acceptance', 'in_service', 'completed', 'declined', 'expired', 'released',
]

/** Within this many seconds of its respond_by an offer's countdown turns amber. */
export const OFFER_WARNING_SECONDS = 4 * 3600

/**
 * An offer's answer window as a deadline for `useCountdown`: running until `respond_by` (amber
 * in its last hours, red once passed); closed once the offer was answered or lapsed.
 */
export function offerDeadline(assignment: Pick<Assignment, 'status' | 'respond_by'>, now: number = Date.now()): Deadline | null {
  if (!assignment.respond_by) return null
  const due = Date.parse(assignment.respond_by)
  const open = assignment.status === 'offered'
  const breached = open ? due <= now : assignment.status === 'expired'
  return {
    state: open ? (breached ? 'breached' : 'running') : 'closed',
    due_at: assignment.respond_by,
    warned: open && due - now <= OFFER_WARNING_SECONDS * 1000,
    breached,
    closed_at: open ? null : assignment.respond_by,
    paused_remaining_seconds: null,
    limit_seconds: 0,
  }
}

/** The ElTag type of an assignment's status. */
export function statusTagType(status: AssignmentStatus): TagType | 'primary' {
  switch (status) {
    case 'offered':
    case 'awaiting_quote_acceptance':
      return 'warning'
    case 'in_service':
      return 'primary'
    case 'completed':
      return 'success'
    case 'declined':
    case 'expired':
      return 'info'
    default:
      return 'danger'
  }
}

/** The request of a listed assignment (null when the list gave none). */
export function requestOf(assignment: Assignment): OfferedRequest | null {
  const request = assignment.request as OfferedRequest | null | undefined
  return request && typeof request === 'object' && 'title' in request ? request : null
}

/** Today's date in the browser as YYYY-MM-DD (a promised date may not be before it). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
