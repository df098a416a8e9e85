import { reactive } from 'vue'
import { api, call, type components, type paths } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'

export type DirectoryEntry = components['schemas']['DirectoryEntry']
type Query = NonNullable<paths['/api/v1/institutions']['get']['parameters']['query']>
export type QualificationType = NonNullable<Query['qualification']>
export type InstitutionStatus = NonNullable<Query['status']>
export const QUALIFICATION_TYPES: readonly QualificationType[] = ['CMA', 'CNAS', 'METROLOGY', 'CERTIFICATION', 'OTHER']
export const INSTITUTION_STATUSES: readonly InstitutionStatus[] = ['applied', 'active', 'rejected', 'suspended', 'exited']

export interface DirectoryFilters {
  name: string
  category: NonNullable<Query['category']> | ''
  park: string
  qualification: QualificationType | ''
  item: string
  status: InstitutionStatus | ''
}

/** GET /api/v1/institutions's query: the filters given (trimmed), the rest left out. */
export function directoryQuery(filters: DirectoryFilters, after: string | null, perPage = 10): Query {
  const query: Query = { per_page: perPage }
  if (after) query.after = after
  const name = filters.name.trim()
  const park = filters.park.trim()
  const item = filters.item.trim()
  if (name) query.name = name
  if (park) query.park = park
  if (item) query.item = item
  if (filters.category) query.category = filters.category
  if (filters.qualification) query.qualification = filters.qualification
  if (filters.status) query.status = filters.status
  return query
}

/** The directory of institutions, searched and paged on the server. */
export function useDirectory(perPage = 10) {
  const filters = reactive<DirectoryFilters>({ name: '', category: '', park: '', qualification: '', item: '', status: '' })
  const list = usePagedList<DirectoryEntry>((after) =>
    call(api.GET('/api/v1/institutions', { params: { query: directoryQuery(filters, after, perPage) } })),
  )
  return { filters, list, search: list.reload }
}
