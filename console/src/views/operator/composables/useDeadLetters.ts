import { ref, shallowRef, watch } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { usePagedList } from '@/composables/usePagedList'
import type { ServiceName, Upstream } from './vocabulary'

export type DeadLetter = components['schemas']['DeadLetterView']
export type ReplayOutcome = components['schemas']['ReplayOutcome']
export type ReplayRequest = components['schemas']['ReplayDeadLetters']

/** Which letters the list shows: all, those waiting for a replay, those replayed. */
export type ReplayedFilter = 'all' | 'waiting' | 'replayed'

/**
 * The dead letters, filtered by service and state and paged on the server, and their replay:
 * one letter (service, upstream, notification id) or all the waiting ones of the chosen service.
 * `outcomes` holds the last replay's report, one line per letter (replayed, or failed with why).
 */
export function useDeadLetters(perPage = 20) {
  const service = ref<ServiceName | 'all'>('all')
  const replayed = ref<ReplayedFilter>('all')
  const list = usePagedList<DeadLetter>((after) =>
    call(api.GET('/api/v1/dead-letters', {
      params: {
        query: {
          after: after ?? undefined,
          per_page: perPage,
          service: service.value === 'all' ? undefined : service.value,
          replayed: replayed.value === 'all' ? undefined : replayed.value === 'replayed',
        },
      },
    })),
  )
  watch([service, replayed], () => void list.reload())

  const replaying = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const outcomes = shallowRef<ReplayOutcome[] | null>(null)

  async function replay(request: ReplayRequest): Promise<ReplayOutcome[] | null> {
    if (replaying.value) return null
    replaying.value = true
    error.value = null
    try {
      const report = await call(api.POST('/api/v1/dead-letters/replay', { body: request }))
      outcomes.value = report.items
      await list.refresh()
      return report.items
    } catch (cause) {
      error.value = asApiError(cause)
      return null
    } finally {
      replaying.value = false
    }
  }

  return {
    service,
    replayed,
    list,
    replaying,
    error,
    outcomes,
    /** One letter again. */
    replayOne: (letter: DeadLetter) =>
      replay({ service: letter.service as ServiceName, upstream: letter.upstream as Upstream, notification_id: letter.notification_id }),
    /** Every waiting letter (of the chosen service, when one is chosen). */
    replayAll: () => replay({ service: service.value === 'all' ? null : service.value }),
    clearOutcomes: () => (outcomes.value = null),
  }
}
