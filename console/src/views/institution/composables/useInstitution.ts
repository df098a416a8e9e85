import { computed, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { useSession } from '@/composables/useSession'
import type { Institution } from './profile'

/** The signed-in person's institution (its id is the party they act for as `institution`). */
export function useInstitution() {
  const { acts } = useSession()
  const id = computed(() => acts.value.institution ?? null)
  const institution = shallowRef<Institution | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function load(): Promise<void> {
    if (!id.value) return
    loading.value = true
    error.value = null
    try {
      institution.value = await call(api.GET('/api/v1/institutions/{institution_id}', { params: { path: { institution_id: id.value } } }))
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  return { id, institution, loading, error, load }
}
