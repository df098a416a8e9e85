import { api, call, type components } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'
import type { RequirementItem, Requirements } from '@/components/requirements/requirements'

export type OperatedStation = components['schemas']['StationSummary']

/** The stations the institution runs (the API lists only those to its people), a page at a time by name. */
export function useOperatedStations() {
  return usePagedList<OperatedStation>((after) =>
    call(api.GET('/api/v1/stations', { params: { query: { after: after ?? undefined, per_page: 20 } } })),
  )
}

/** The institution records only the items the checklist says it owns (the API refuses the others). */
export function ownsItem(item: Pick<RequirementItem, 'owner' | 'derived'>): boolean {
  return item.owner === 'operating_institution' && !item.derived
}

/** How many of the items it owns are met, of how many. */
export function ownedMet(requirements: Pick<Requirements, 'items'>): { met: number; total: number } {
  const owned = requirements.items.filter(ownsItem)
  return { met: owned.filter((item) => item.state === 'met').length, total: owned.length }
}
