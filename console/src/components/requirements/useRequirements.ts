import { ref, shallowRef } from 'vue'
import { ApiError, asApiError } from '@/api/errors'
import { downloadEvidence, loadRequirements, type Evidence, type Requirements } from './requirements'

/** A station's requirements (GET /api/v1/stations/{id}/requirements), loaded on demand. */
export function useRequirements() {
  const requirements = shallowRef<Requirements | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  async function load(stationId: string): Promise<void> {
    loading.value = true
    error.value = null
    try {
      requirements.value = await loadRequirements(stationId)
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }
  async function download(stationId: string, code: string, file: Evidence): Promise<void> {
    try {
      await downloadEvidence(stationId, code, file)
    } catch (cause) {
      error.value = asApiError(cause)
    }
  }
  return { requirements, loading, error, load, download }
}
