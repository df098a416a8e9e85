import { api, call, type components } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'

export type StationSummary = components['schemas']['StationSummary']

/** Every station with its conformity to its requirements, a page at a time by name. */
export function useStationConformity() {
  return usePagedList<StationSummary>((after) =>
    call(api.GET('/api/v1/stations', { params: { query: { after: after ?? undefined, per_page: 20 } } })),
  )
}
