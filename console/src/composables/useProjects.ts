import { ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { saveBlob } from '@/utils/files'
import { ApiError, asApiError } from '@/api/errors'

export type StandardProject = components['schemas']['StandardProjectView']
export type IpApplication = components['schemas']['IpApplicationView']
/** A standard's stages in their order (立项, 起草, 征求意见, 审查, 发布). */
export const STANDARD_STAGES = ['initiation', 'drafting', 'consultation', 'review', 'publication'] as const
/** Where each IP application status may move (as matching allows), by the application's kind. */
const MOVES: Record<string, readonly string[]> = {
  filed: ['accepted', 'rejected', 'withdrawn'],
  accepted: ['examined', 'rejected', 'withdrawn'],
  examined: ['granted', 'registered', 'rejected', 'withdrawn'],
}

export function nextStatuses(application: Pick<IpApplication, 'kind' | 'status'>): string[] {
  const end = application.kind === 'trademark' ? 'granted' : 'registered'
  return (MOVES[application.status] ?? []).filter((status) => status !== end)
}

/** A demand's standard project, or null before it is opened (the API answers 404). */
export async function fetchStandardProject(demandId: string): Promise<StandardProject | null> {
  try {
    return await call(api.GET('/api/v1/demands/{demand_id}/standard-project', { params: { path: { demand_id: demandId } } }))
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) return null
    throw cause
  }
}

export async function fetchIpApplications(demandId: string): Promise<IpApplication[]> {
  const answer = await call(api.GET('/api/v1/demands/{demand_id}/ip-applications', { params: { path: { demand_id: demandId } } }))
  return answer.items
}

/**
 * The work of a standardisation or intellectual-property demand as its parties read it: the
 * standard project, or the IP applications (a demand of another category has neither).
 */
export function useProjects(demandId: () => string, category: () => string | null | undefined) {
  const project = shallowRef<StandardProject | null>(null)
  const applications = shallowRef<IpApplication[]>([])
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      if (category() === 'standardization') project.value = await fetchStandardProject(demandId())
      if (category() === 'intellectual_property') applications.value = await fetchIpApplications(demandId())
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return { project, applications, loading, error, load }
}

/** Downloads a document of the standard project with the person's token; the browser saves it. */
export async function downloadStandardDocument(demandId: string, sha256: string, name: string): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/demands/{demand_id}/standard-project/files/{sha256}', {
      params: { path: { demand_id: demandId, sha256 } },
      parseAs: 'blob',
    }),
  )
  saveBlob(blob as unknown as Blob, name)
}
