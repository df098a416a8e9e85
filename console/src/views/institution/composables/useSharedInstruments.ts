import { computed, reactive, ref, shallowRef } from 'vue'
import { api, call, type components } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { useApiForm } from '@/composables/useApiForm'
import { usePagedList } from '@/composables/usePagedList'

export type Instrument = components['schemas']['SharedInstrumentView']
export type Booking = components['schemas']['BookingView']
export type BookingStatus = Booking['status']
export type Utilisation = components['schemas']['UtilisationView']

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
export const BOOKING_STATUSES: BookingStatus[] = ['requested', 'confirmed', 'declined', 'cancelled', 'used']

/** Every message the API gave under a nested field (a calendar's weekly windows), joined. */
export function nestedMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(nestedMessages)
  if (value && typeof value === 'object') return Object.values(value).flatMap(nestedMessages)
  return []
}

function newInstrument() {
  return {
    code: '', name: '', model: '', capabilities: '', park: '', address: '', fee: '', feeUnit: 'per_hour' as 'per_hour' | 'per_sample',
    days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as string[], windows: '09:00-12:00, 13:30-17:30',
    slotMinutes: 60, timezone: 'Asia/Shanghai',
  }
}

/**
 * The institution's shared instruments (its own, listed), the bookings of them to answer, and
 * their utilisation over a period.
 */
export function useSharedInstruments(institutionId: () => string | null) {
  const instruments = usePagedList<Instrument>((after) =>
    call(api.GET('/api/v1/instruments', { params: { query: { after: after ?? undefined, per_page: 50, institution_id: institutionId() ?? undefined } } })),
  )
  const status = ref<BookingStatus | ''>('')
  const bookings = usePagedList<Booking>((after) =>
    call(api.GET('/api/v1/bookings', { params: { query: { after: after ?? undefined, per_page: 20, status: status.value || undefined } } })),
  )

  const draft = reactive(newInstrument())
  const listing = useApiForm(['code', 'name', 'model', 'capabilities', 'park', 'address', 'fees', 'calendar'])
  const calendarError = computed(() => nestedMessages(listing.error.value?.details.calendar).join('；'))

  async function list(): Promise<boolean> {
    const windows = draft.windows.split(/[,，、\s]+/).filter(Boolean)
    const done = await listing.submit(() => call(api.POST('/api/v1/instruments', {
      body: {
        code: draft.code, name: draft.name, model: draft.model.trim() || undefined,
        capabilities: draft.capabilities.split(/[,，、]/).map((item) => item.trim()).filter(Boolean),
        park: draft.park, address: draft.address,
        fees: draft.fee.trim() ? [{ amount_cny: draft.fee.trim(), unit: draft.feeUnit }] : [],
        calendar: {
          timezone: draft.timezone, slot_minutes: draft.slotMinutes,
          weekly: Object.fromEntries(draft.days.map((day) => [day, windows])),
        },
      },
    })))
    if (!done) return false
    Object.assign(draft, newInstrument())
    await instruments.reload()
    return true
  }

  async function act(booking: Booking, action: 'confirmation' | 'decline' | 'cancellation' | 'usage', body?: Record<string, unknown>) {
    const path = { params: { path: { booking_id: booking.id } } }
    if (action === 'confirmation') await call(api.POST('/api/v1/bookings/{booking_id}/confirmation', path))
    else if (action === 'decline') await call(api.POST('/api/v1/bookings/{booking_id}/decline', { ...path, body: body as { reason: string } }))
    else if (action === 'cancellation') await call(api.POST('/api/v1/bookings/{booking_id}/cancellation', { ...path, body: body as { reason: string } }))
    else await call(api.POST('/api/v1/bookings/{booking_id}/usage', { ...path, body: body ?? {} }))
    await bookings.reload()
  }

  const period = ref<[string, string]>([monthStart(), today()])
  const utilisation = shallowRef<Utilisation | null>(null)
  const utilisationError = shallowRef<ApiError | null>(null)
  async function computeUtilisation(): Promise<void> {
    utilisationError.value = null
    try {
      utilisation.value = await call(api.GET('/api/v1/instruments/utilisation', {
        params: { query: { from: period.value[0], to: period.value[1] } },
      }))
    } catch (cause) {
      utilisationError.value = asApiError(cause)
    }
  }

  return { instruments, status, bookings, draft, listing, calendarError, list, act, period, utilisation, utilisationError, computeUtilisation }
}

function today(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

function monthStart(): string {
  return `${today().slice(0, 8)}01`
}
