import { ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import type { Webhook } from './partner'

/**
 * The institution's webhook: none until registered (404). A secret the platform shows once
 * (registration, rotation) is kept in `secret` until the person says they have kept it; it
 * lives in memory only and is gone on reload.
 */
export function useWebhook() {
  const webhook = shallowRef<Webhook | null>(null)
  const secret = ref<string | null>(null)
  const loading = ref(false)
  const loaded = ref(false)
  const error = shallowRef<ApiError | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      webhook.value = await call(api.GET('/api/v1/partner/webhook'))
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 404) webhook.value = null
      else error.value = asApiError(cause)
    } finally {
      loading.value = false
      loaded.value = true
    }
  }

  /** An answer of the API: the webhook, and its secret if this answer carries one. */
  function take(answer: Webhook): void {
    const { secret: shown, ...rest } = answer
    webhook.value = rest as Webhook
    if (shown) secret.value = shown
  }

  return {
    webhook, secret, loading, loaded, error, load, take,
    forgetSecret: () => (secret.value = null),
  }
}
