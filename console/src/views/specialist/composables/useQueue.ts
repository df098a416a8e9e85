import { reactive } from 'vue'
import { api, call, type components, type paths } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'
import type { Category } from '@/api/categories'

export type DemandSummary = components['schemas']['DemandSummaryView']
type Query = NonNullable<paths['/api/v1/demands']['get']['parameters']['query']>
export type DemandStatus = NonNullable<Query['status']>
export type Sort = NonNullable<Query['sort']>

export const STATUSES: readonly DemandStatus[] = [
  'submitted', 'awaiting_information', 'accepted', 'assigned', 'matching_failed',
  'completed', 'answered', 'rejected', 'withdrawn', 'cancelled',
]
/** The stages whose clocks a specialist watches, in the order of a case. */
export const STAGES = ['first_response', 'assessment', 'follow_up'] as const

export interface QueueFilters {
  status: DemandStatus | ''
  category: Category | ''
  /** '' all, 'yes' only overdue, 'no' only on time */
  overdue: '' | 'yes' | 'no'
  /** [from, to] as YYYY-MM-DD, or null */
  submitted: [string, string] | null
  sort: Sort
}

export function emptyFilters(): QueueFilters {
  return { status: '', category: '', overdue: '', submitted: null, sort: '-submitted_at' }
}

/** The query of GET /api/v1/demands for the filters (what is unset is left out). */
export function queueQuery(filters: QueueFilters, after: string | null, perPage = 20): Query {
  const query: Query = { sort: filters.sort, per_page: perPage }
  if (after) query.after = after
  if (filters.status) query.status = filters.status
  if (filters.category) query.category = filters.category
  if (filters.overdue) query.overdue = filters.overdue === 'yes'
  if (filters.submitted) {
    query.submitted_from = filters.submitted[0]
    query.submitted_to = filters.submitted[1]
  }
  return query
}

/** The station's queue: filters and the server's pages, each row with its stages' clocks. */
export function useQueue(perPage = 20) {
  const filters = reactive<QueueFilters>(emptyFilters())
  const list = usePagedList<DemandSummary>((after) =>
    call(api.GET('/api/v1/demands', { params: { query: queueQuery(filters, after, perPage) } })),
  )

  function reset(): Promise<void> {
    Object.assign(filters, emptyFilters())
    return list.reload()
  }

  return { filters, list, search: list.reload, reset }
}
