import { reactive, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'

export type RegisterEntry = components['schemas']['ReportEntry']

/** Who may search the register by institution and validity, not only by number (the API's rule). */
export const REGISTER_STAFF = ['specialist', 'supervisor']

/**
 * The register of reports and certificates: found by number (or its beginning); specialists and
 * supervisors also filter by institution and validity. A page at a time.
 */
export function useReports() {
  const query = reactive({ number: '', institution_id: '', valid: '' as '' | 'true' | 'false' })
  const items = ref<RegisterEntry[]>([])
  const searched = ref(false)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function search(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const page = await call(api.GET('/api/v1/reports', {
        params: {
          query: {
            number: query.number.trim() || undefined,
            institution_id: query.institution_id.trim() || undefined,
            valid: query.valid === '' ? undefined : query.valid === 'true',
            per_page: 50,
          },
        },
      }))
      items.value = page.items
      searched.value = true
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return { query, items, searched, loading, error, search, fieldError: (field: string) => error.value?.fieldError(field) }
}
