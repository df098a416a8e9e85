import { computed, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'

export type Demand = components['schemas']['DemandView']
export type Matching = components['schemas']['MatchingView']

/** The statuses of a demand that matching has seen. */
export const MATCHED: readonly string[] = ['accepted', 'assigned', 'matching_failed', 'completed', 'cancelled', 'withdrawn']

/** A history line of a demand: when, and what (an i18n key with its values). */
export interface HistoryEntry {
  at: string
  key: string
  values: Record<string, string>
  type: 'primary' | 'success' | 'warning' | 'info'
}

/** The demand's history as the view shows it (oldest first), from what the demand records. */
export function demandHistory(demand: Demand): HistoryEntry[] {
  const entries: HistoryEntry[] = [{ at: demand.submitted_at, key: 'historySubmitted', values: {}, type: 'primary' }]
  for (const info of demand.information) {
    entries.push({ at: info.requested_at, key: 'historyRequested', values: { text: info.questions }, type: 'warning' })
    if (info.supplied_at) {
      entries.push({ at: info.supplied_at, key: 'historySupplied', values: { text: info.information ?? '' }, type: 'success' })
    }
  }
  for (const followUp of demand.follow_ups) {
    entries.push({
      at: followUp.at, key: 'historyFollowUp', type: 'info',
      values: { channel: followUp.channel, contact: followUp.contact, text: followUp.note },
    })
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}

/** The outcome's words (an answer, or why it was rejected, withdrawn or cancelled). */
export function outcomeText(outcome: Demand['outcome']): string {
  if (!outcome) return ''
  return Object.values(outcome).filter((value): value is string => typeof value === 'string').join('；')
}

/** A demand and its matching explanation, loaded and reloaded together. */
export function useDemand(id: () => string) {
  const demand = shallowRef<Demand | null>(null)
  const matching = shallowRef<Matching | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const path = { demand_id: id() }
      const shown = await call(api.GET('/api/v1/demands/{demand_id}', { params: { path } }))
      demand.value = shown
      // Matching knows a demand once it was accepted (before, it answers 404).
      matching.value = MATCHED.includes(shown.status)
        ? await call(api.GET('/api/v1/demands/{demand_id}/matching', { params: { path } })).catch(() => null)
        : null
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return {
    demand,
    matching,
    loading,
    error,
    load,
    history: computed(() => (demand.value ? demandHistory(demand.value) : [])),
    set: (next: Demand) => (demand.value = next),
  }
}
