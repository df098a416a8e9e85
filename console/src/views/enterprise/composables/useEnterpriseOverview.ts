import { computed, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { CLOSED, IN_PROGRESS, STATUSES, feedbackGiven, type DemandStatus } from '../lib/caseModel'

export type DemandSummary = components['schemas']['DemandSummaryView']
export type Notice = components['schemas']['NoticeView']

/** At most this many of a status are counted (the API pages; "100+" beyond). */
export const COUNT_LIMIT = 100

export interface StatusCount {
  count: number
  /** More than `count` exist. */
  more: boolean
}

export interface TodoItem {
  demand: DemandSummary
  reason: 'information' | 'feedback'
}

/** Adds counts, keeping "or more" when any part had more. */
export function sumCounts(counts: Partial<Record<DemandStatus, StatusCount>>, statuses: readonly DemandStatus[]): StatusCount {
  return statuses.reduce<StatusCount>(
    (sum, status) => ({ count: sum.count + (counts[status]?.count ?? 0), more: sum.more || !!counts[status]?.more }),
    { count: 0, more: false },
  )
}

/**
 * The enterprise's cases at a glance: how many in each status (a page per status, counted up to
 * COUNT_LIMIT) and what waits for it: the station's requests for information, and completed
 * services it has not rated yet (the dossier of each of its latest completed cases says).
 */
export function useEnterpriseOverview() {
  const counts = shallowRef<Partial<Record<DemandStatus, StatusCount>>>({})
  const todo = shallowRef<TodoItem[]>([])
  /** The latest notices, each linked to its case when it names one (the shared inbox lists them all). */
  const notices = shallowRef<Notice[]>([])
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  function page(status: DemandStatus, perPage: number) {
    return call(api.GET('/api/v1/demands', { params: { query: { status, per_page: perPage } } }))
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const latest = call(api.GET('/api/v1/notifications', { params: { query: { per_page: 5 } } }))
        .then((answer) => (notices.value = answer.items))
        .catch(() => (notices.value = []))
      const pages = await Promise.all(STATUSES.map((status) => page(status, COUNT_LIMIT)))
      counts.value = Object.fromEntries(
        STATUSES.map((status, index) => [status, { count: pages[index]!.items.length, more: !!pages[index]!.next_after }]),
      )
      const waiting = pages[STATUSES.indexOf('awaiting_information')]!.items
      const completed = pages[STATUSES.indexOf('completed')]!.items.slice(0, 20)
      const rated = await Promise.all(
        completed.map((demand) =>
          call(api.GET('/api/v1/archive/demands/{demand_id}', { params: { path: { demand_id: demand.id } } }))
            .then((dossier) => feedbackGiven(dossier.events))
            .catch(() => true), // unknown: not nagged about
        ),
      )
      todo.value = [
        ...waiting.map((demand): TodoItem => ({ demand, reason: 'information' })),
        ...completed.filter((_, index) => !rated[index]).map((demand): TodoItem => ({ demand, reason: 'feedback' })),
      ]
      await latest
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return {
    counts,
    todo,
    notices,
    loading,
    error,
    load,
    total: computed(() => sumCounts(counts.value, STATUSES)),
    inProgress: computed(() => sumCounts(counts.value, IN_PROGRESS)),
    finished: computed(() => sumCounts(counts.value, ['completed'])),
    closed: computed(() => sumCounts(counts.value, CLOSED)),
  }
}
