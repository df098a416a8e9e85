import { computed, shallowRef, ref } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { caseActions, feedbackGiven, filesOf, timelineOf, type Demand } from '../lib/caseModel'

export type Dossier = components['schemas']['DossierView']


/**
 * One case of the enterprise: the demand's view (status, institution, deadlines, files) and its
 * dossier (the timeline of what happened, and whether feedback was given). The dossier failing
 * leaves the rest of the page usable.
 */
export function useDemandCase(id: () => string) {
  const demand = shallowRef<Demand | null>(null)
  const dossier = shallowRef<Dossier | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const dossierError = shallowRef<ApiError | null>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    dossierError.value = null
    const demandId = id()
    const [view, history] = await Promise.allSettled([
      call(api.GET('/api/v1/demands/{demand_id}', { params: { path: { demand_id: demandId } } })),
      call(api.GET('/api/v1/archive/demands/{demand_id}', { params: { path: { demand_id: demandId } } })),
    ])
    if (view.status === 'fulfilled') demand.value = view.value
    else error.value = asApiError(view.reason)
    if (history.status === 'fulfilled') dossier.value = history.value
    else dossierError.value = asApiError(history.reason)
    loading.value = false
  }

  const events = computed(() => dossier.value?.events ?? [])
  const rated = computed(() => feedbackGiven(events.value))
  return {
    demand,
    dossier,
    error,
    dossierError,
    loading,
    load,
    timeline: computed(() => timelineOf(events.value)),
    files: computed(() => (demand.value ? filesOf(demand.value) : [])),
    rated,
    actions: computed(() => (demand.value ? caseActions(demand.value, rated.value) : null)),
  }
}
