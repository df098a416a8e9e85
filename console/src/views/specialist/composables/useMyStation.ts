import { ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import type { Station } from './stationSettings'

/** The signed-in specialist's own station (GET /api/v1/me/station). */
export function useMyStation() {
  const station = shallowRef<Station | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  async function load(): Promise<Station | null> {
    loading.value = true
    error.value = null
    try {
      station.value = await call(api.GET('/api/v1/me/station'))
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
    return station.value
  }
  return { station, loading, error, load }
}
