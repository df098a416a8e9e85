import type { components } from '@/api/client'

export type Institution = components['schemas']['InstitutionView']
export type ChangeProfile = components['schemas']['ChangeProfile']
export type PriceEntry = components['schemas']['PriceEntry']

/** The profile form: what an institution may change of itself, and why. */
export interface ProfileForm {
  contactName: string
  contactPhone: string
  contactEmail: string
  capacity: number
  autoAccept: boolean
  prices: PriceEntry[]
  reason: string
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '' : String(value)
}

/** The form as the institution's profile fills it. */
export function profileForm(institution: Institution): ProfileForm {
  const contact = institution.contact ?? {}
  return {
    contactName: text(contact.name),
    contactPhone: text(contact.phone),
    contactEmail: text(contact.email),
    capacity: institution.capacity,
    autoAccept: institution.auto_accept_offers,
    prices: institution.price_list.map((entry) => ({
      item: text(entry.item), price_cny: text(entry.price_cny), unit: text(entry.unit),
    })),
    reason: '',
  }
}

/**
 * The PATCH body: only what differs from the profile (the API keeps what is left out), and
 * always the reason. The contact goes whole once any of it changed.
 */
export function profileChange(institution: Institution, form: ProfileForm): ChangeProfile {
  const before = profileForm(institution)
  const change: ChangeProfile = { reason: form.reason.trim() }
  if (form.contactName !== before.contactName || form.contactPhone !== before.contactPhone ||
      form.contactEmail !== before.contactEmail) {
    change.contact = { name: form.contactName.trim(), phone: form.contactPhone.trim(), email: form.contactEmail.trim() || null }
  }
  if (form.capacity !== before.capacity) change.capacity = form.capacity
  if (form.autoAccept !== before.autoAccept) change.auto_accept_offers = form.autoAccept
  const prices = form.prices.map((entry) => ({ item: entry.item.trim(), price_cny: entry.price_cny.trim(), unit: entry.unit.trim() }))
  if (JSON.stringify(prices) !== JSON.stringify(before.prices)) change.price_list = prices
  return change
}

/** Whether the form changes anything at all (a reason alone changes nothing). */
export function changesSomething(change: ChangeProfile): boolean {
  return Object.keys(change).some((key) => key !== 'reason')
}
