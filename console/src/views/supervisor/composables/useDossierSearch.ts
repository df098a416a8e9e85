import { reactive } from 'vue'
import { api, call, type components, type paths } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'

export type DossierSummary = components['schemas']['DossierSummary']
type Query = paths['/api/v1/archive/demands']['get']['parameters']['query']

/** The search form's fields: empty ones are left out of the query. */
export interface DossierFilters {
  enterprise: string
  institution: string
  category: string
  station: string
  status: string
  /** Submitted between (ISO 8601 with offset), or null. */
  submitted: [string, string] | null
  /** '' any, 'yes' with a breach, 'no' without. */
  breached: '' | 'yes' | 'no'
}

export function emptyFilters(): DossierFilters {
  return { enterprise: '', institution: '', category: '', station: '', status: '', submitted: null, breached: '' }
}

/** The API's query for the filters (only what is set). */
export function dossierQuery(filters: DossierFilters): NonNullable<Query> {
  const query: NonNullable<Query> = {}
  if (filters.enterprise.trim()) query.enterprise = filters.enterprise.trim()
  if (filters.institution.trim()) query.institution = filters.institution.trim()
  if (filters.category) query.category = filters.category as NonNullable<Query>['category']
  if (filters.station.trim()) query.station = filters.station.trim()
  if (filters.status) query.status = filters.status as NonNullable<Query>['status']
  if (filters.submitted) {
    query.submitted_from = filters.submitted[0]
    query.submitted_to = filters.submitted[1]
  }
  if (filters.breached) query.breached = filters.breached === 'yes'
  return query
}

/** Dossier search (GET /api/v1/archive/demands), paged on the server; `search()` applies the filters. */
export function useDossierSearch(perPage = 20) {
  const filters = reactive<DossierFilters>(emptyFilters())
  let applied = dossierQuery(filters)
  const list = usePagedList<DossierSummary>((after) =>
    call(api.GET('/api/v1/archive/demands', { params: { query: { ...applied, after: after ?? undefined, per_page: perPage } } })),
  )
  function search() {
    applied = dossierQuery(filters)
    return list.reload()
  }
  function reset() {
    Object.assign(filters, emptyFilters())
    return search()
  }
  return { filters, list, search, reset }
}
