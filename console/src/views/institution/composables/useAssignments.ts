import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { usePagedList } from '@/composables/usePagedList'
import type { Assignment, AssignmentStatus } from './offers'

/** The institution's offers and assignments, paged on the server, filtered by status. */
export function useAssignmentList(perPage = 20) {
  const status = ref<AssignmentStatus | ''>('')
  const list = usePagedList<Assignment>((after) =>
    call(api.GET('/api/v1/assignments', {
      params: { query: { after: after ?? undefined, per_page: perPage, status: status.value || undefined } },
    })),
  )
  watch(status, () => void list.reload())
  return { status, list }
}

/**
 * One assignment of the institution. The API has no GET /api/v1/assignments/{id}: it is found
 * by paging the institution's list (100 a page) until its id comes.
 */
export async function findAssignment(id: string): Promise<Assignment> {
  let after: string | undefined
  for (;;) {
    const page = await call(api.GET('/api/v1/assignments', { params: { query: { after, per_page: 100 } } }))
    const found = page.items.find((item) => item.assignment_id === id)
    if (found) return found
    if (!page.next_after) throw new ApiError(404, { error: 'not_found' })
    after = page.next_after
  }
}

/** An assignment and, once the institution serves it, its demand (the enterprise, the files). */
export function useAssignment(id: Ref<string>) {
  const assignment = shallowRef<Assignment | null>(null)
  const demand = shallowRef<Awaited<ReturnType<typeof loadDemand>> | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function loadDemand(demandId: string) {
    return call(api.GET('/api/v1/demands/{demand_id}', { params: { path: { demand_id: demandId } } }))
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const found = await findAssignment(id.value)
      assignment.value = found
      demand.value = found.status === 'in_service' || found.status === 'completed' ? await loadDemand(found.demand_id) : null
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  /** After an action answered with the assignment's new record (without its request). */
  async function replace(next: Assignment): Promise<void> {
    const request = assignment.value?.request
    assignment.value = { ...next, request: next.request ?? request }
    if (next.status === 'in_service' || next.status === 'completed') demand.value = await loadDemand(next.demand_id)
  }

  return { assignment, demand, loading, error, load, replace, ready: computed(() => assignment.value !== null) }
}
