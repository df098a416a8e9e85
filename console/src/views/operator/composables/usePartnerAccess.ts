import { ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { asApiError, type ApiError } from '@/api/errors'

export type PartnerAccess = components['schemas']['BrokerAccessView']

/**
 * An institution's own user on the partner exchange (RabbitMQ): whether it has one, and the
 * operator's acts on it. `grant()` answers with the password, which is never shown again.
 */
export function usePartnerAccess(institutionId: () => string) {
  const access = shallowRef<PartnerAccess | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const path = () => ({ institution_id: institutionId() })

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      access.value = await call(api.GET('/api/v1/institutions/{institution_id}/partner-access', { params: { path: path() } }))
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  async function grant(): Promise<PartnerAccess> {
    const granted = await call(api.POST('/api/v1/institutions/{institution_id}/partner-access', { params: { path: path() } }))
    access.value = { ...granted, password: null }
    return granted
  }

  async function revoke(reason: string): Promise<void> {
    access.value = await call(api.POST('/api/v1/institutions/{institution_id}/partner-access/revocation', {
      params: { path: path() }, body: { reason },
    }))
  }

  return { access, loading, error, load, grant, revoke }
}
