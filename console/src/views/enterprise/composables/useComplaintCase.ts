import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import type { Demand } from '../lib/caseModel'
import { complaintDeadline, historyOf, type Complaint } from '../lib/complaintModel'

/**
 * One complaint and its history, its instants in its station's time zone; with the demand it
 * concerns, when it names one (for the demand's title and the institution's name).
 */
export function useComplaintCase(id: () => string) {
  const complaint = shallowRef<Complaint | null>(null)
  const demand = shallowRef<Demand | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      complaint.value = await call(api.GET('/api/v1/complaints/{complaint_id}', { params: { path: { complaint_id: id() } } }))
      const demandId = complaint.value.demand_id
      demand.value = demandId
        ? await call(api.GET('/api/v1/demands/{demand_id}', { params: { path: { demand_id: demandId } } })).catch(() => null)
        : null
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return {
    complaint,
    demand,
    error,
    loading,
    load,
    history: computed(() => (complaint.value ? historyOf(complaint.value) : [])),
    deadlines: computed(() =>
      Object.entries(complaint.value?.deadlines ?? {})
        .map(([stage, raw]) => ({ stage, deadline: complaintDeadline(raw) }))
        .filter((entry): entry is { stage: string; deadline: NonNullable<typeof entry.deadline> } => entry.deadline !== null),
    ),
    /** Whom the complaint is about, in words: the institution's name when the demand names it. */
    againstName: computed(() => {
      const against = complaint.value?.against
      if (against?.kind === 'institution' && demand.value?.institution?.id === against.id) return demand.value.institution.name
      return null
    }),
    timeZone: computed(() => complaint.value?.time_zone ?? null),
  }
}
