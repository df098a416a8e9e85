import { computed, ref, shallowRef, toValue, type MaybeRefOrGetter } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { filesOf } from '../lib/files'
import { tombstoneOf } from '../lib/retention'

export type Dossier = components['schemas']['DossierView']
export type DossierEvent = components['schemas']['DossierEvent']
export type Verification = components['schemas']['VerificationView']


/**
 * A dossier for a supervisor: its timeline, or the case as of `asOf` (ISO 8601 with offset);
 * its verification on demand. Each read is recorded by the API (the audit log shows it). A
 * dossier disposed of at the end of its retention answers 410: `disposal` is what is kept of it.
 */
export function useDossier(id: MaybeRefOrGetter<string>) {
  const dossier = shallowRef<Dossier | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const asOf = ref<string | null>(null)
  const verification = shallowRef<Verification | null>(null)
  const verifying = ref(false)
  const verifyError = shallowRef<ApiError | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      dossier.value = await call(
        api.GET('/api/v1/archive/demands/{demand_id}', {
          params: { path: { demand_id: toValue(id) }, query: asOf.value ? { as_of: asOf.value } : {} },
        }),
      )
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  async function verify(): Promise<void> {
    verifying.value = true
    verifyError.value = null
    try {
      verification.value = await call(
        api.GET('/api/v1/archive/demands/{demand_id}/verify', { params: { path: { demand_id: toValue(id) } } }),
      )
    } catch (cause) {
      verifyError.value = asApiError(cause)
    } finally {
      verifying.value = false
    }
  }

  /** Back to the whole timeline. */
  function showNow(): Promise<void> {
    asOf.value = null
    return load()
  }

  return {
    dossier,
    loading,
    error,
    asOf,
    load,
    showNow,
    verification,
    verifying,
    verifyError,
    verify,
    files: computed(() => filesOf(dossier.value?.events ?? [])),
    disposal: computed(() => tombstoneOf(error.value)),
  }
}
