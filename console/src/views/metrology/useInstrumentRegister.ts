import { computed, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'

export type Register = components['schemas']['RegisterView']
export type Instrument = components['schemas']['InstrumentView']
export type RegisterSort = 'next_due' | '-next_due' | 'name'
export type NewInstrument = components['schemas']['RegisterInstrument']
export type InstrumentChange = components['schemas']['ChangeInstrument']
export type Demand = components['schemas']['DemandView']

/** The ElTag type of an instrument's due badge (a retired one: null badge, shown as info). */
export function badgeType(due: Instrument['due']): 'danger' | 'warning' | 'success' | 'info' {
  return due === 'overdue' ? 'danger' : due === 'due_soon' ? 'warning' : due === 'ok' ? 'success' : 'info'
}

/** What the one-click button asks for: verification for a mandatory instrument, calibration otherwise. */
export function requestKind(instrument: Instrument): 'verification' | 'calibration' {
  return instrument.mandatory ? 'verification' : 'calibration'
}

/** Whether the one-click button is offered: an instrument in use without an open demand. */
export function mayRequest(instrument: Instrument): boolean {
  return instrument.state === 'in_use' && !instrument.open_demand
}

/**
 * An enterprise's register of measuring instruments: the enterprise's own (`enterprise` null) or,
 * for its station's specialists, the one of the enterprise named. `missing` when it has none yet
 * (the API's 404 for a register not opened). Every change answers with the whole register.
 */
export function useInstrumentRegister(enterprise: () => string | null = () => null) {
  const register = shallowRef<Register | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const loading = ref(false)
  const missing = ref(false)
  const sort = ref<RegisterSort>('next_due')

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const query = { sort: sort.value, ...(enterprise() ? { enterprise: enterprise()! } : {}) }
      register.value = await call(api.GET('/api/v1/metrology/register', { params: { query } }))
      missing.value = false
    } catch (cause) {
      const failed = asApiError(cause)
      missing.value = failed.status === 404
      if (!missing.value) error.value = failed
      register.value = null
    } finally {
      loading.value = false
    }
  }

  const shown = (next: Register): Register => {
    register.value = next
    missing.value = false
    return next
  }

  return {
    register,
    error,
    loading,
    missing,
    sort,
    load,
    instruments: computed(() => register.value?.instruments ?? []),
    open: async (body: components['schemas']['OpenInstrumentRegister']) =>
      shown(await call(api.PUT('/api/v1/metrology/register', { body }))),
    add: async (body: NewInstrument) => shown(await call(api.POST('/api/v1/metrology/instruments', { body }))),
    change: async (id: string, body: InstrumentChange) =>
      shown(await call(api.PATCH('/api/v1/metrology/instruments/{instrument_id}', { params: { path: { instrument_id: id } }, body }))),
    retire: async (id: string, reason: string) =>
      shown(await call(api.POST('/api/v1/metrology/instruments/{instrument_id}/retirement', { params: { path: { instrument_id: id } }, body: { reason } }))),
    /** One click: the demand for the instrument (a specialist says it came in at the counter). */
    request: (id: string, channel: 'online' | 'counter' = 'online'): Promise<Demand> =>
      call(api.POST('/api/v1/metrology/instruments/{instrument_id}/demand', { params: { path: { instrument_id: id } }, body: { channel } })),
  }
}
