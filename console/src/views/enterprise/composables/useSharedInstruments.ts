import { ref } from 'vue'
import { api, call, type components } from '@/api/client'
import { usePagedList } from '@/composables/usePagedList'

export type Instrument = components['schemas']['SharedInstrumentView']
export type InstrumentDetail = components['schemas']['SharedInstrumentDetailView']
export type Booking = components['schemas']['BookingView']

/** Shared instruments found by capability and park, and the enterprise's own bookings. */
export function useSharedInstruments(perPage = 20) {
  const capability = ref('')
  const park = ref('')
  const instruments = usePagedList<Instrument>((after) =>
    call(api.GET('/api/v1/instruments', {
      params: { query: { after: after ?? undefined, per_page: perPage, capability: capability.value.trim() || undefined, park: park.value.trim() || undefined } },
    })),
  )
  const bookings = usePagedList<Booking>((after) =>
    call(api.GET('/api/v1/bookings', { params: { query: { after: after ?? undefined, per_page: perPage } } })),
  )

  async function cancel(booking: Booking, reason: string): Promise<void> {
    await call(api.POST('/api/v1/bookings/{booking_id}/cancellation', {
      params: { path: { booking_id: booking.id } }, body: { reason },
    }))
    await bookings.reload()
  }

  return { capability, park, instruments, bookings, cancel }
}

/** Whether the enterprise may still cancel a booking itself (before its slot begins). */
export function cancellable(booking: Booking, now = Date.now()): boolean {
  return (booking.status === 'requested' || booking.status === 'confirmed') && Date.parse(booking.start) > now
}
