import type { TagType } from '@/composables/useCountdown'

export const COMPLAINT_STATUSES = ['received', 'investigating', 'escalated', 'resolved'] as const
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number]

/** The tag colour of a complaint's status. */
export function complaintStatusType(status: string): TagType {
  return ({ received: 'warning', investigating: 'info', escalated: 'danger', resolved: 'success' } as Record<string, TagType>)[status] ?? 'info'
}

/** What a supervisor may do to a complaint in a status. */
export function complaintActions(status: string): ('investigation' | 'escalation' | 'resolution')[] {
  if (status === 'received') return ['investigation', 'escalation']
  if (status === 'investigating') return ['escalation', 'resolution']
  if (status === 'escalated') return ['resolution']
  return []
}

export const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'] as const
export type Outcome = (typeof OUTCOMES)[number]
