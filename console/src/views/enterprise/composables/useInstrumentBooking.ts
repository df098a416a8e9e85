import { computed, reactive, ref, shallowRef } from 'vue'
import { api, call } from '@/api/client'
import { ApiError, asApiError } from '@/api/errors'
import { useApiForm } from '@/composables/useApiForm'
import { addDays, dateIn, endAfter, week, type Slot } from '../lib/slots'
import type { InstrumentDetail } from './useSharedInstruments'

/**
 * One instrument: its calendar a week at a time with the slots taken (never by whom), a slot
 * chosen and booked. A slot another enterprise took meanwhile is refused by the API (409
 * slot_taken, with the slot): the form shows why, and the week is read again.
 */
export function useInstrumentBooking(id: () => string) {
  const instrument = shallowRef<InstrumentDetail | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  const from = ref('')
  const chosen = shallowRef<Slot | null>(null)
  const form = reactive({ slots: 1, purpose: '', enterprise_name: '', contact: '', phone: '' })
  const booking = useApiForm(['slot', 'start', 'end', 'purpose', 'enterprise_name', 'contact', 'phone'])

  const days = computed(() =>
    instrument.value && from.value
      ? week(instrument.value.calendar, from.value, instrument.value.taken, Date.now())
      : [],
  )

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      instrument.value = await call(api.GET('/api/v1/instruments/{instrument_id}', { params: { path: { instrument_id: id() } } }))
      if (!from.value) from.value = dateIn(instrument.value.calendar.timezone, Date.now())
    } catch (cause) {
      error.value = asApiError(cause)
    } finally {
      loading.value = false
    }
  }

  function move(weeks: number): void {
    from.value = addDays(from.value, 7 * weeks)
  }

  function choose(slot: Slot): void {
    if (slot.state === 'free') chosen.value = slot
  }

  /** The slot booked and, when the API refused it, the slot it clashed with (slot_taken). */
  const clash = computed(() => {
    const slot = booking.error.value?.error === 'slot_taken' ? booking.error.value.details.slot : null
    return slot && typeof slot === 'object' ? (slot as { start: string; end: string }) : null
  })

  async function book(): Promise<boolean> {
    const slot = chosen.value
    if (!slot || !instrument.value) return false
    const slotMinutes = instrument.value.calendar.slot_minutes
    const done = await booking.submit(() => call(api.POST('/api/v1/instruments/{instrument_id}/bookings', {
      params: { path: { instrument_id: id() } },
      body: {
        start: slot.start, end: endAfter(slot.start, form.slots, slotMinutes), purpose: form.purpose,
        enterprise_name: form.enterprise_name, contact: form.contact, phone: form.phone.trim() || undefined,
      },
    })))
    if (booking.error.value?.error === 'slot_taken') await load()
    if (!done) return false
    chosen.value = null
    await load()
    return true
  }

  return { instrument, loading, error, from, days, chosen, form, booking, clash, load, move, choose, book }
}
