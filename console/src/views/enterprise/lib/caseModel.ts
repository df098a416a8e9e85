import type { components } from '@/api/client'

export type Demand = components['schemas']['DemandView']
export type DemandStatus = Demand['status']
export type DossierEvent = components['schemas']['DossierEvent']
export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const STATUSES: readonly DemandStatus[] = [
  'submitted', 'awaiting_information', 'accepted', 'assigned', 'matching_failed',
  'completed', 'answered', 'rejected', 'withdrawn', 'cancelled',
]

/** Before an institution is assigned the enterprise withdraws; after, it cancels (with a reason). */
const WITHDRAWABLE: readonly DemandStatus[] = ['submitted', 'awaiting_information', 'accepted', 'matching_failed']
/** Still being handled: shown as "in progress" on the home page. */
export const IN_PROGRESS: readonly DemandStatus[] = ['submitted', 'awaiting_information', 'accepted', 'assigned', 'matching_failed']
export const CLOSED: readonly DemandStatus[] = ['answered', 'rejected', 'withdrawn', 'cancelled']

/** The colour of a status's tag. */
export function statusType(status: string): TagType {
  switch (status) {
    case 'awaiting_information':
      return 'warning'
    case 'completed':
    case 'answered':
      return 'success'
    case 'matching_failed':
    case 'rejected':
      return 'danger'
    case 'withdrawn':
    case 'cancelled':
      return 'info'
    default:
      return 'primary'
  }
}

export interface CaseActions {
  supply: boolean
  withdraw: boolean
  cancel: boolean
  feedback: boolean
  complain: boolean
}

/** What the enterprise may do on its case now. */
export function caseActions(demand: Pick<Demand, 'status'>, feedbackGiven: boolean): CaseActions {
  return {
    supply: demand.status === 'awaiting_information',
    withdraw: WITHDRAWABLE.includes(demand.status),
    cancel: demand.status === 'assigned',
    feedback: demand.status === 'completed' && !feedbackGiven,
    complain: true,
  }
}

/** The events of a dossier the enterprise's timeline shows (not the reads of the dossier itself). */
const HIDDEN_EVENTS = new Set(['DossierAccessed', 'DemandArchived'])

export interface TimelineEntry {
  key: string
  name: string
  at: string
  /** What the event says besides its name: a milestone, a reason, the questions... */
  detail: string
  type: TagType
}

function text(data: Record<string, unknown>, ...keys: string[]): string {
  return keys
    .map((key) => data[key])
    .filter((value): value is string => typeof value === 'string' && value.length > 0)
    .join('：')
}

/** A dossier's events as the case's timeline, oldest first. */
export function timelineOf(events: readonly DossierEvent[]): TimelineEntry[] {
  return events
    .filter((event) => !HIDDEN_EVENTS.has(event.name))
    .map((event) => {
      const data = (event.data ?? {}) as Record<string, unknown>
      return {
        key: `${event.notification_id}-${event.hash}`,
        name: event.name,
        at: event.occurred_at,
        detail: text(data, 'milestone', 'note') || text(data, 'questions') || text(data, 'information') ||
          text(data, 'reason') || text(data, 'answer'),
        type: /Breached|Failed|Rejected|Cancelled|Declined|Expired/.test(event.name)
          ? 'danger'
          : /Completed|FeedbackGiven|Assigned/.test(event.name)
            ? 'success'
            : /Requested|Approaching/.test(event.name)
              ? 'warning'
              : 'primary',
      }
    })
}

/** Whether the enterprise has rated the service (the demand's view does not say; its dossier does). */
export function feedbackGiven(events: readonly DossierEvent[]): boolean {
  return events.some((event) => event.name === 'FeedbackGiven')
}

export interface CaseFile {
  sha256: string
  name: string
  kind: 'attachment' | 'evidence'
  size?: number
}

/** The demand's files: its attachments and, once completed, the evidence of the service. */
export function filesOf(demand: Pick<Demand, 'attachments' | 'outcome'>): CaseFile[] {
  const files: CaseFile[] = demand.attachments.map((file) => ({
    sha256: file.sha256, name: file.name, kind: 'attachment', size: file.size,
  }))
  const evidence = (demand.outcome as { evidence?: { documents?: { name: string; sha256: string }[] } } | null)?.evidence
  for (const document of evidence?.documents ?? []) {
    files.push({ sha256: document.sha256, name: document.name, kind: 'evidence' })
  }
  return files
}

/** The report and certificate numbers of a completed service, if any. */
export function evidenceNumbers(demand: Pick<Demand, 'outcome'>): { report: string | null; certificate: string | null } {
  const evidence = (demand.outcome as { evidence?: { report_number?: string | null; certificate_number?: string | null } } | null)?.evidence
  return { report: evidence?.report_number ?? null, certificate: evidence?.certificate_number ?? null }
}

/** A withdrawal's, cancellation's or rejection's reason, or the station's answer. */
export function outcomeText(demand: Pick<Demand, 'outcome'>): { answer: string | null; reason: string | null } {
  const outcome = (demand.outcome ?? {}) as Record<string, unknown>
  const pick = (key: string) => (typeof outcome[key] === 'string' ? (outcome[key] as string) : null)
  return { answer: pick('answer'), reason: pick('reason') }
}
